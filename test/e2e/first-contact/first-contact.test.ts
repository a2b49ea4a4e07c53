// First contact, replayed as a new user meets berth: a clean clone, only the machine's own
// node on PATH (Debian 12's is Node 20), a fresh HOME (an empty npm cache), no registry but
// npm's. The README's first command, taken from the README's text, runs in a real terminal
// (tmux); the example must answer on its port; Ctrl-C stops it; `down` leaves nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findLeaks, skipUnlessKernel } from '../../helpers/kernel.js';
import { poll } from '../../helpers/poll.js';
import { httpGet, REPO } from '../harness.js';
import { firstCommand, has, noise, userEnv } from './replay.js';

if (!skipUnlessKernel('e2e first contact', () => (has('tmux') && has('git') ? undefined : 'tmux and git are needed'))) {
  const dir = mkdtempSync(join(tmpdir(), 'berth-test-first-contact-'));
  const clone = join(dir, 'berth');
  const sock = `berth-fc-${process.pid}`;
  const env = userEnv(dir);
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', sock, ...args], { encoding: 'utf8' });
  const pane = (): string => tmux('capture-pane', '-p', '-S', '-200', '-t', 'fc');
  const berth = (...args: string[]) => spawnSync(join(clone, 'bin', 'berth'), args, { cwd: join(clone, 'examples', 'hello'), env, encoding: 'utf8', timeout: 120_000 });

  test.after(() => {
    spawnSync('tmux', ['-L', sock, 'kill-server']);
    berth('down', '-v');
    const leaks = findLeaks(dir);
    rmSync(dir, { recursive: true, force: true });
    assert.equal(leaks, [], 'nothing left behind');
  });

  test("the README's first command brings the example up with the machine's own node; Ctrl-C stops it", async () => {
    execFileSync('git', ['clone', '-q', REPO, clone]);
    const command = firstCommand(readFileSync(join(clone, 'README.md'), 'utf8'));
    const node = spawnSync('node', ['--version'], { env, encoding: 'utf8' }).stdout.trim();
    console.log(`# first command: ${command}   (node on PATH: ${node || 'none'})`);
    // the shell survives the Ctrl-C meant for berth (a caught signal is reset in its children)
    writeFileSync(join(dir, 'session.sh'), `trap true INT\ncd ${clone}\n${command}\necho "EXIT=$?"\nsleep 600\n`);
    const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    tmux('new-session', '-d', '-s', 'fc', '-x', '120', '-y', '40', 'env', '-i', ...envArgs, 'sh', join(dir, 'session.sh'));
    const page = await poll('the example answers on :8080', () => httpGet('http://127.0.0.1:8080/').catch(() => undefined), 600_000);
    assert.is(page.trim(), '<h1>Hello from berth</h1>');
    await poll('the checker reached web', () => berth('logs', 'checker').stdout.includes('web answered'), 30_000);
    tmux('send-keys', '-t', 'fc', 'C-c');
    const screen = await poll('up ended after Ctrl-C', () => (/EXIT=\d+/.test(pane()) ? pane() : undefined), 60_000);
    console.log(
      screen
        .split('\n')
        .filter((l) => l.trim())
        .slice(-12)
        .map((l) => `#   | ${l}`)
        .join('\n'),
    );
    assert.match(screen, /EXIT=(0|130)\b/);
    assert.equal(noise(screen), [], 'no warning from Node or the toolchain on the screen');
    const ps = berth('ps', '-q');
    assert.is(ps.stdout.trim(), '', 'Ctrl-C stopped the stack: nothing runs');
    const down = berth('down');
    assert.is(down.status, 0, down.stderr);
  });

  test.run();
}
