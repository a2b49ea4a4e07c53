import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { skipUnlessKernel } from '../../helpers/kernel.js';
import { freePort } from '../../helpers/registry.js';
import { makeStack, poll, httpGet, stopRegistry, REPO, type Stack } from '../harness.js';

if (!skipUnlessKernel('e2e exec-run-extra')) {
  let s: Stack | undefined;
  const st = (): Stack => s!;
  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  test('up -d; ps --format templates', async () => {
    s = await makeStack('exec-run-extra');
    s.env.WEB_PORT = String(await freePort());
    const up = await s.berth(['up', '-d', 'box']);
    assert.is(up.code, 0, up.err);
    const plain = await s.berth(['ps', '--format', '{{.Name}} {{.Service}} {{.State}}']);
    assert.is(plain.code, 0, plain.err);
    assert.is(plain.out, `${s.project}-box-1 box running\n`);
    const table = await s.berth(['ps', '--format', 'table {{.Service}}\\t{{.Status}}\\t{{.Ports}}']);
    assert.match(table.out, /^SERVICE   STATUS\s+PORTS\nbox       Up \d+ seconds?\s*\n$/);
    const bad = await s.berth(['ps', '--format', '{{.Nope}}']);
    assert.is(bad.code, 2);
    assert.match(bad.err, /unknown field \.Nope/);
    const json = await s.berth(['ps', '--format', 'json']);
    assert.is((JSON.parse(json.out) as { service: string }[])[0]!.service, 'box');
  });

  test('exec -d returns at once, the command keeps running', async () => {
    const r = await st().berth(['exec', '-d', 'box', 'sh', '-c', 'sleep 0.5; echo done > /tmp/detached; sleep 3600']);
    assert.is(r.code, 0, r.err);
    await poll('the detached command wrote its file', async () => (await st().berth(['exec', '-T', 'box', 'cat', '/tmp/detached'])).out === 'done\n');
    const ps = await st().berth(['exec', '-T', 'box', 'ps']);
    assert.match(ps.out, /sleep 3600/);
    const missing = await st().berth(['exec', '-d', 'box', 'no-such-command']);
    assert.is.not(missing.code, 0);
    assert.match(missing.err, /cannot start "no-such-command": executable file not found/);
  });

  test('exec gets a TTY when stdin is one (script(1) makes the pty), -T disables it', async () => {
    const bin = join(REPO, 'src', 'main.js').replace(`${REPO}/src`, `${REPO}/dist/src`);
    const run = async (flag: string): Promise<string> => {
      const r = await execa('script', ['-qec', `${process.execPath} ${bin} exec ${flag} box sh -c '[ -t 0 ] && [ -t 1 ] && echo tty || echo notty'`, '/dev/null'], {
        cwd: st().dir,
        env: st().env,
        extendEnv: false,
        reject: false,
        timeout: 30_000,
        input: '',
      });
      return r.stdout;
    };
    const withTty = await run('');
    assert.ok(/\btty\r?$/m.test(withTty) && !withTty.includes('notty'), JSON.stringify(withTty));
    assert.match(await run('-T'), /notty/);
    const oneoff = await execa('script', ['-qec', `${process.execPath} ${bin} run --rm box sh -c '[ -t 1 ] && echo run-tty || echo run-notty'`, '/dev/null'], {
      cwd: st().dir,
      env: st().env,
      extendEnv: false,
      reject: false,
      timeout: 60_000,
      input: '',
    });
    assert.ok(/run-tty/.test(oneoff.stdout) && !oneoff.stdout.includes('run-notty'), oneoff.stdout);
    const piped = await st().berth(['run', '--rm', 'box', 'sh', '-c', '[ -t 1 ] && echo run-tty || echo run-notty']);
    assert.match(piped.out, /run-notty/);
  });

  test('run -v binds a host dir (relative to the project), run -p publishes a port', async () => {
    mkdirSync(join(st().dir, 'data'), { recursive: true });
    writeFileSync(join(st().dir, 'data', 'in.txt'), 'from-host\n');
    const r = await st().berth(['run', '--rm', '-v', './data:/data', 'box', 'sh', '-c', 'cat /data/in.txt; echo from-container > /data/out.txt']);
    assert.is(r.code, 0, r.err);
    assert.match(r.out, /from-host/);
    assert.is(readFileSync(join(st().dir, 'data', 'out.txt'), 'utf8'), 'from-container\n');
    const port = await freePort();
    const d = await st().berth(['run', '-d', '--name', `${st().project}-pub`, '-p', `${port}:80`, 'box', 'sh', '-c', 'mkdir -p /w && echo published > /w/index.html && httpd -f -p 80 -h /w']);
    assert.is(d.code, 0, d.err);
    assert.is((await poll('run -p answers', () => httpGet(`http://127.0.0.1:${port}/`))).trim(), 'published');
  });

  test('run --service-ports publishes the service ports', async () => {
    const d = await st().berth(['run', '-d', '--service-ports', 'web']);
    assert.is(d.code, 0, d.err);
    assert.is((await poll('service port answers', () => httpGet(`http://127.0.0.1:${st().env.WEB_PORT}/`))).trim(), 'service-ports');
  });

  test('pull_policy: daily pulls an image with no recorded pull, then not again that day', async () => {
    const pulls = join(st().roots.root, 'pulls');
    const recorded = (): { ref: string; at: number }[] => {
      try {
        return readdirSync(pulls).map((f) => JSON.parse(readFileSync(join(pulls, f), 'utf8')) as { ref: string; at: number });
      } catch {
        return [];
      }
    };
    // up pulled busybox for `box` (policy missing) and recorded when: start from no record
    rmSync(pulls, { recursive: true, force: true });
    const first = await st().berth(['run', '--rm', 'fresh']);
    assert.is(first.code, 0, first.err);
    const [rec] = recorded();
    assert.is(rec?.ref, 'busybox:1.36');
    const second = await st().berth(['run', '--rm', 'fresh']);
    assert.is(second.code, 0, second.err);
    assert.equal(recorded(), [rec], 'no second pull within the day');
    // up honours it too: with no recorded pull it pulls (and records), within the day it does not
    rmSync(pulls, { recursive: true, force: true });
    const up = await st().berth(['up', '-d', 'fresh']);
    assert.is(up.code, 0, up.err);
    const [byUp] = recorded();
    assert.is(byUp?.ref, 'busybox:1.36', 'up pulled and recorded it');
    assert.is((await st().berth(['up', '-d', 'fresh'])).code, 0);
    assert.equal(recorded(), [byUp], 'up did not pull again within the day');
  });

  test('events --since/--until print the past and stop', async () => {
    const past = await st().berth(['events', '--json', '--since', '10m', '--until', '0s']);
    assert.is(past.code, 0, past.err);
    const events = past.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action?: string; container?: string; time: number });
    assert.ok(
      events.some((e) => e.action === 'started' && e.container === `${st().project}-box-1`),
      past.out,
    );
    const none = await st().berth(['events', '--since', '1s', '--until', '1s']);
    assert.is(none.code, 0);
    const later = Date.now() + 1500;
    const t0 = Date.now();
    const live = await st().berth(['events', '--until', new Date(later).toISOString()]);
    assert.is(live.code, 0, live.err);
    assert.ok(Date.now() - t0 >= 1000, 'it followed until the given time');
    const down = await st().berth(['down', '-t', '1']);
    assert.is(down.code, 0, down.err);
  });

  test.run();
}
