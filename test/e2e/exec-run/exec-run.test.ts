import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { skipUnlessKernel } from '../../helpers/kernel.js';
import { makeStack, poll, stopRegistry, type Stack } from '../harness.js';

if (!skipUnlessKernel('e2e exec-run')) {
  let s: Stack | undefined;
  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  test('exec passes exit codes and output through; -e, -w, -u', async () => {
    s = await makeStack('exec-run');
    assert.is((await s.berth(['up', '-d'])).code, 0);
    const ok = await s.berth(['exec', '-T', 'box', 'sh', '-c', 'echo $GREETING; exit 0']);
    assert.is(ok.code, 0, ok.err);
    assert.is(ok.out, 'hello\n');
    const bad = await s.berth(['exec', '-T', 'box', 'sh', '-c', 'exit 42']);
    assert.is(bad.code, 42);
    const env = await s.berth(['exec', '-T', '-e', 'X=1', '-w', '/tmp', '-u', 'nobody', 'box', 'sh', '-c', 'echo $X $(pwd) $(id -u)']);
    assert.is(env.out, '1 /tmp 65534\n', env.err);
    const missing = await s.berth(['exec', '-T', 'nope', 'true']);
    assert.is(missing.code, 1);
    assert.match(missing.err, /service "nope" is not running/);
    // an error deep in the shim's exec path: one line naming the container once, the step, the path and the errno
    for (const detach of [[], ['-d']]) {
      const noDir = await s.berth(['exec', '-T', ...detach, '-w', '/no/such/dir', 'box', 'true']);
      assert.is(noDir.code, 1, noDir.err);
      assert.match(noDir.err, /^berth: container \S+: chdir \/no\/such\/dir: cannot enter the working directory \(ENOENT\)\n$/, noDir.err);
    }
  });

  test("commit SERVICE IMAGE: the container's changes become an image", async () => {
    assert.is((await s!.berth(['exec', '-T', 'box', 'sh', '-c', 'echo committed > /data.txt'])).code, 0);
    const c = await s!.berth(['commit', '-c', 'ENV FROM_COMMIT=1', 'box', `${s!.project}-img:1`]);
    assert.is(c.code, 0, c.err);
    assert.match(c.out, /^sha256:[0-9a-f]{64}\n$/);
    const r = await s!.berth(['container', 'run', '--rm', `${s!.project}-img:1`, 'sh', '-c', 'cat /data.txt; echo $FROM_COMMIT; cat /etc/hostname']);
    assert.is(r.code, 0, r.err);
    const [data, env, hostname] = r.out.split('\n');
    assert.is(data, 'committed');
    assert.is(env, '1');
    assert.is.not(hostname, `${s!.project}-box-1`, 'the init layer is not committed');
    assert.is((await s!.berth(['image', 'rm', `${s!.project}-img:1`])).code, 0);
    const none = await s!.berth(['commit', '--index', '2', 'box']);
    assert.is(none.code, 1);
    assert.match(none.err, /service box has no container with index 2/);
  });

  test('pause, unpause, kill -s through the CLI', async () => {
    const state = async (): Promise<string> => (JSON.parse((await s!.berth(['ps', '-a', '--format', 'json'])).out) as { state: string }[])[0]!.state;
    assert.is((await s!.berth(['pause', 'box'])).code, 0);
    await poll('box paused', async () => (await state()) === 'paused');
    assert.is((await s!.berth(['unpause', 'box'])).code, 0);
    await poll('box running', async () => (await state()) === 'running');
    const k = await s!.berth(['kill', '-s', 'SIGKILL', 'box']);
    assert.is(k.code, 0, k.err);
    await poll('box exited', async () => (await state()) === 'exited');
    assert.is((await s!.berth(['start', 'box'])).code, 0);
    await poll('box running', async () => (await state()) === 'running');
  });

  test('run --rm: output, exit code, nothing left', async () => {
    const r = await s!.berth(['run', '--rm', 'box', 'sh', '-c', 'echo one-off $GREETING; exit 3']);
    assert.is(r.code, 3, r.err);
    assert.match(r.out, /one-off hello/);
    const ps = await s!.berth(['ps', '-a', '--format', 'json']);
    assert.equal(
      (JSON.parse(ps.out) as { name: string }[]).map((x) => x.name),
      [`${s!.project}-box-1`],
    );
    assert.is((await s!.berth(['down'])).code, 0);
  });

  test('run --rm after down makes the project network again (as compose does), reaching it by name', async () => {
    const r = await s!.berth(['run', '--rm', 'box', 'sh', '-c', 'grep -c nameserver /etc/resolv.conf; ip -4 addr show eth0 | grep -c inet']);
    assert.is(r.code, 0, r.err);
    assert.equal(r.out.trim().split('\n'), ['1', '1']);
    assert.is((await s!.berth(['down'])).code, 0);
  });

  test.run();
}
