import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { skipUnlessKernel } from '../../helpers/kernel.js';
import { makeStack, stopRegistry, type Stack } from '../harness.js';

const NET_ADMIN = 12n;
const CHOWN = 0n;
const capEff = (status: string): bigint => BigInt(`0x${/CapEff:\s*([0-9a-f]+)/.exec(status)![1]}`);

if (!skipUnlessKernel('e2e compose-flags')) {
  let s: Stack | undefined;
  const st = (): Stack => s!;
  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  test('up --abort-on-container-failure: a zero exit does not stop the stack, the first failure does (its code)', async () => {
    s = await makeStack('compose-flags');
    const r = await s.berth(['up', '--abort-on-container-failure', 'box', 'ok', 'bad'], { timeoutMs: 60_000 });
    assert.is(r.code, 3, r.out + r.err);
    assert.match(r.out, /failing/);
    const ps = await s.berth(['ps', '-a', '--format', '{{.Service}} {{.State}} {{.ExitCode}}']);
    assert.is(ps.out, 'bad exited 3\nbox exited 0\nok exited 0\n');
  });

  test('start --wait returns once the service is healthy; ps --filter status=…', async () => {
    const up = await st().berth(['up', '-d', 'box', 'hc']);
    assert.is(up.code, 0, up.err);
    const stop = await st().berth(['stop', '-t', '1', 'hc']);
    assert.is(stop.code, 0, stop.err);
    const exited = await st().berth(['ps', '--filter', 'status=exited', '--format', '{{.Service}}']);
    assert.is(exited.out, 'bad\nhc\nok\n');
    const start = await st().berth(['start', '--wait', 'hc'], { timeoutMs: 60_000 });
    assert.is(start.code, 0, start.err);
    const health = await st().berth(['ps', '--format', '{{.Service}} {{.Health}}', 'hc']);
    assert.is(health.out, 'hc healthy\n', 'healthy as soon as start --wait returns');
    const running = await st().berth(['ps', '--filter', 'status=running', '--format', '{{.Service}}']);
    assert.is(running.out, 'box\nhc\n');
  });

  test('run --cap-add / --cap-drop: the capability set inside the container', async () => {
    const plain = await st().berth(['run', '--rm', '--no-deps', 'box', 'cat', '/proc/self/status']);
    assert.is(plain.code, 0, plain.err);
    const base = capEff(plain.out);
    assert.is((base >> NET_ADMIN) & 1n, 0n, 'NET_ADMIN is not in the default set');
    assert.is((base >> CHOWN) & 1n, 1n, 'CHOWN is in the default set');
    const r = await st().berth(['run', '--rm', '--no-deps', '--cap-add', 'NET_ADMIN', '--cap-drop', 'CHOWN', 'box', 'cat', '/proc/self/status']);
    assert.is(r.code, 0, r.err);
    const caps = capEff(r.out);
    assert.is((caps >> NET_ADMIN) & 1n, 1n, 'NET_ADMIN added');
    assert.is((caps >> CHOWN) & 1n, 0n, 'CHOWN dropped');
  });

  test('run -l labels the container; --env-from-file (then -e wins); --use-aliases answers to the service name', async () => {
    const d = await st().berth(['run', '-d', '--no-deps', '--use-aliases', '-l', 'team=qa', 'box', 'sleep', '300']);
    assert.is(d.code, 0, d.err);
    const name = d.out.trim();
    const inspect = await st().berth(['container', 'inspect', name]);
    assert.is(inspect.code, 0, inspect.err);
    assert.match(inspect.out, /"team": "qa"/);
    // the one-off answers to the service's network alias as well as its own name
    const lookup = await st().berth(['exec', '-T', 'box', 'nslookup', 'boxalias']);
    const ips = [...lookup.out.matchAll(/Address(?: \d+)?:\s*(\d+\.\d+\.\d+\.\d+)/g)].map((m) => m[1]).filter((ip) => !ip!.endsWith('.1'));
    assert.ok(ips.length >= 2, `boxalias resolves to the service and the one-off: ${lookup.out}`);
    const env = await st().berth(['run', '--rm', '--no-deps', '--env-from-file', 'run.env', '-e', 'BOTH=flag', 'box', 'sh', '-c', 'echo $FROM_FILE $BOTH']);
    assert.is(env.code, 0, env.err);
    assert.is(env.out.trim(), 'file flag');
    const missing = await st().berth(['run', '--rm', '--no-deps', '--env-from-file', 'nope.env', 'box', 'true']);
    assert.is.not(missing.code, 0);
    assert.match(missing.err, /nope\.env not found/);
    await st().berth(['rm', '-sf']);
  });

  test.run();
}
