// The dashboard in a real terminal (tmux): the real bin/berth, what capture-pane shows.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { skipUnlessKernel } from '../../helpers/kernel.js';
import { startTmux, tmuxSkipReason, type Tmux } from '../../helpers/tmux.js';
import { REPO, makeStack, poll, stopRegistry, type Stack } from '../harness.js';

const NOISE = /ExperimentalWarning|DeprecationWarning|\(node:\d+\)|Warning:/;
const BIN = join(REPO, 'bin', 'berth');

/** The table row of a service (`>web-1  running ...  0`), or ''. */
const row = (screen: string, key: string): string => screen.split('\n').find((l) => new RegExp(`^[ >]${key} `).test(l)) ?? '';
/** The log pane's lines (`web-1    | web line 3`). */
const logLines = (screen: string): string[] => screen.split('\n').filter((l) => /^\S+\s+\| /.test(l));

/** The exit code of a window's command once it ended (an object: 0 is a result, not 'not yet'). */
function exited(t: Tmux, window: string): { code: number } | undefined {
  const code = t.exitCode(window);
  return code === undefined ? undefined : { code };
}

/** poll, and on a timeout the pane as it was. */
async function pollScreen<T>(t: Tmux, window: string, what: string, check: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  try {
    return await poll(what, check, timeoutMs);
  } catch (err) {
    throw new Error(`${(err as Error).message}; the pane showed:\n${t.capture(window)}`, { cause: err });
  }
}

if (!skipUnlessKernel('e2e dashboard', tmuxSkipReason)) {
  let s: Stack | undefined;
  let tmux: Tmux | undefined;
  test.after(async () => {
    tmux?.kill();
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  test('berth up on a terminal: the dashboard; search, restart, detach, berth dashboard, quit', async () => {
    s = await makeStack('dashboard');
    const stack = s;
    // what a user's shell has: no BERTH_PROGRESS, no CI
    const env = Object.fromEntries(Object.entries(stack.env).filter(([k]) => k !== 'BERTH_PROGRESS' && k !== 'CI'));
    const t = (tmux = startTmux(stack.roots.tag, join(stack.roots.root, '..'), env));
    t.run('up', `cd ${stack.dir} && ${BIN} up`);
    const both = await pollScreen(
      t,
      'up',
      'both services running with log lines',
      () => {
        const screen = t.capture('up');
        const ok = /running/.test(row(screen, 'web-1')) && /running/.test(row(screen, 'worker-1')) && /web line \d/.test(screen) && /worker tick \d/.test(screen);
        return ok ? screen : undefined;
      },
      60_000,
    );
    assert.not.match(both, NOISE, 'no warning text on the screen');
    assert.match(both, /SERVICE\s+STATE/);
    assert.match(both, /r restart/, 'the keys in the footer');

    // `/` + text filters the log pane
    t.keys('up', '/');
    t.keys('up', '-l', 'tick');
    t.keys('up', 'Enter');
    const filtered = await pollScreen(t, 'up', 'only matching lines', () => {
      const screen = t.capture('up');
      const lines = logLines(screen);
      return /search "tick"/.test(screen) && lines.length > 0 && lines.every((l) => l.includes('tick')) ? screen : undefined;
    });
    assert.not.match(
      filtered
        .split('\n')
        .filter((l) => /^\S+\s+\| /.test(l))
        .join('\n'),
      /web line/,
    );
    t.keys('up', 'Escape');

    // `r` restarts the selected service (web, the first row): its restart count rises
    assert.match(row(t.capture('up'), 'web-1'), /^>/, 'web is selected');
    assert.match(row(t.capture('up'), 'web-1'), / 0$/);
    t.keys('up', 'r');
    await pollScreen(t, 'up', 'web restarted once', () => row(t.capture('up'), 'web-1').endsWith(' 1') && row(t.capture('up'), 'web-1').includes('running'), 30_000);
    assert.match(row(t.capture('up'), 'worker-1'), / 0$/, 'worker not restarted');

    // `d` detaches: exit 0, the stack keeps running
    t.keys('up', 'd');
    const up = await pollScreen(t, 'up', 'berth up exited', () => exited(t, 'up'), 20_000);
    assert.is(up.code, 0);
    const ps = await stack.berth(['ps']);
    assert.match(ps.out, /dashboard\w*-web-1 .* Up /);
    assert.match(ps.out, /dashboard\w*-worker-1 .* Up /);

    // `berth dashboard` shows them again; `q` stops the stack
    t.run('dash', `cd ${stack.dir} && ${BIN} dashboard`);
    const again = await pollScreen(
      t,
      'dash',
      'dashboard shows both running',
      () => {
        const screen = t.capture('dash');
        return /running/.test(row(screen, 'web-1')) && /running/.test(row(screen, 'worker-1')) && /web line/.test(screen) ? screen : undefined;
      },
      30_000,
    );
    assert.not.match(again, NOISE);
    assert.match(row(again, 'web-1'), / 1$/, 'the restart count is kept');

    // scrolling back past memory (`berth dashboard` holds zlog's last 500 lines) reads the log files
    t.keys('dash', 'Down', 'Down', 'l');
    await pollScreen(t, 'dash', 'zlog logs', () => /Logs: zlog/.test(t.capture('dash')) || undefined);
    t.keys('dash', ...Array<string>(120).fill('PageUp'));
    const start = await pollScreen(
      t,
      'dash',
      "the start of zlog's log file",
      () => {
        const screen = t.capture('dash');
        return /from the log files · their start/.test(screen) && logLines(screen).some((l) => l.endsWith(' zlog line 1')) ? screen : undefined;
      },
      30_000,
    );
    const numbers = logLines(start).map((l) => Number(/zlog line (\d+)$/.exec(l)?.[1]));
    assert.equal(
      numbers,
      numbers.map((_, i) => i + 1),
      'the oldest lines, in order, none twice',
    );
    t.keys('dash', 'f');
    await pollScreen(t, 'dash', 'following again', () => /zlog · following/.test(t.capture('dash')) || undefined);
    t.keys('dash', 'q');
    assert.is((await pollScreen(t, 'dash', 'berth dashboard exited', () => exited(t, 'dash'), 30_000)).code, 0);
    const after = await stack.berth(['ps', '-a']);
    assert.match(after.out, /web-1 .* Exited/);
    assert.match(after.out, /worker-1 .* Exited/);
    assert.match(after.out, /zlog-1 .* Exited/);
  });

  test.run();
}
