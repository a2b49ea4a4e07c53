import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { skipUnlessKernel } from '../../helpers/kernel.js';
import { makeStack, poll, stopRegistry, type Stack } from '../harness.js';

if (!skipUnlessKernel('e2e service-cmds')) {
  let s: Stack | undefined;
  const st = (): Stack => s!;
  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  test('volumes lists the project volumes, by service, as table, -q, template and json', async () => {
    s = await makeStack('service-cmds');
    const up = await s.berth(['up', '-d']);
    assert.is(up.code, 0, up.err);
    const all = await s.berth(['volumes']);
    assert.is(all.code, 0, all.err);
    assert.is(all.out, `DRIVER   VOLUME NAME\nlocal    ${s.project}_data\nlocal    ${s.project}_other\n`);
    const one = await s.berth(['volumes', '-q', 'talker']);
    assert.is(one.out, `${s.project}_data\n`);
    const tpl = await s.berth(['volumes', '--format', '{{.Name}} {{.Driver}}', 'quiet']);
    assert.is(tpl.out, `${s.project}_other local\n`);
    const json = await s.berth(['volumes', '--format', 'json', 'talker']);
    const row = JSON.parse(json.out) as { Name: string; Mountpoint: string };
    assert.is(row.Name, `${s.project}_data`);
    assert.ok(row.Mountpoint.startsWith(st().roots.root), row.Mountpoint);
    const ls = await s.berth(['ls', '-q', '--filter', `name=${s.project}`]);
    assert.is(ls.out, `${s.project}\n`);
    const re = await s.berth(['ls', '-q', '--filter', `name=^${s.project.slice(0, 6)}`]);
    assert.is(re.out, `${s.project}\n`, 'a regular expression');
    const none = await s.berth(['ls', '-q', '--filter', 'name=^no-such-project$']);
    assert.is(none.out, '');
    const bad = await s.berth(['volumes', 'nope']);
    assert.is(bad.code, 1);
    assert.match(bad.err, /no such service: nope/);
  });

  test('export writes the container filesystem: image files, its changes, not what it deleted', async () => {
    const prep = await st().berth(['exec', '-T', 'talker', 'sh', '-c', 'echo exported > /marker && rm /etc/group']);
    assert.is(prep.code, 0, prep.err);
    const file = join(st().dir, 'talker.tar');
    const r = await st().berth(['export', '-o', 'talker.tar', 'talker']);
    assert.is(r.code, 0, r.err);
    const list = (await execa('tar', ['tf', file])).stdout.split('\n');
    for (const p of ['bin/busybox', 'bin/sh', 'etc/passwd', 'marker']) assert.ok(list.includes(p), `${p} in the archive`);
    assert.not.ok(list.includes('etc/group'), 'a file the container deleted is not exported');
    assert.not.ok(
      list.some((p) => p.includes('.wh.')),
      'no whiteouts',
    );
    assert.is((await execa('tar', ['xOf', file, 'marker'])).stdout, 'exported');
    const piped = await execa('sh', ['-c', `${process.execPath} ${join(import.meta.dirname, '..', '..', '..', 'src', 'main.js')} export talker | tar tf - | grep -c '^bin/busybox$'`], {
      cwd: st().dir,
      env: st().env,
      extendEnv: false,
      reject: false,
    });
    assert.is(piped.stdout, '1', piped.stderr);
    assert.ok(readFileSync(file).length > 0);
    const missing = await st().berth(['export', 'nope']);
    assert.is.not(missing.code, 0);
  });

  test("attach follows the output from now; SIGINT goes to the container; its exit code is attach's", async () => {
    const child = st().spawn(['attach', 'talker']);
    await poll('attach shows new ticks', () => /tick \d+\n.*tick \d+/s.test(child.output()));
    assert.not.match(child.output(), /tick 0\n/, 'no earlier output');
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    assert.is(await exited, 7, child.output());
    assert.match(child.output(), /bye/);
    const ps = await st().berth(['ps', '-a', '--format', '{{.Service}} {{.Status}}', 'talker']);
    assert.is(ps.out, 'talker Exited (7)\n');
    const stats = await st().berth(['stats', '--no-stream', '--format', 'json']);
    assert.equal(
      (JSON.parse(stats.out) as { container: string }[]).map((r) => r.container),
      [`${st().project}-quiet-1`],
      'running only',
    );
    const all = await st().berth(['stats', '-a', '--no-stream', '--format', 'json']);
    const rows = JSON.parse(all.out) as { container: string; pids: number }[];
    assert.equal(
      rows.map((r) => r.container),
      [`${st().project}-quiet-1`, `${st().project}-talker-1`],
    );
    assert.is(rows[1]!.pids, 0);
    const stopped = await st().berth(['attach', 'talker']);
    assert.is(stopped.code, 1);
    assert.match(stopped.err, /cannot attach to container .*talker-1: it is not running/);
  });

  test.run();
}
