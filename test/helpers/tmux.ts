// A private tmux server (its own socket) for tests that look at what a user's terminal shows.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function tmuxSkipReason(): string | undefined {
  return spawnSync('tmux', ['-V']).status === 0 ? undefined : 'tmux is not installed (apt-get install tmux)';
}

export interface Tmux {
  /** Runs `command` (a shell line) in a new window of the given size; its exit code goes to `<dir>/<name>.exit`. */
  run(name: string, command: string): void;
  /** The visible pane as text (`-e`: with colours and attributes as escape sequences). */
  capture(name: string, escapes?: boolean): string;
  /** tmux send-keys arguments (`Enter`, `Escape`, `PageUp`, `C-c`, or literal text with `-l`). */
  keys(name: string, ...keys: string[]): void;
  /** The exit code of the window's command, once it ended. */
  exitCode(name: string): number | undefined;
  kill(): void;
}

/**
 * A tmux server on its own socket; every window's shell has exactly `env` (plus TERM), not the test
 * runner's environment: a CI machine's `CI=true` would otherwise reach berth through tmux's global
 * environment and turn the dashboard off. `dir` keeps the scripts.
 */
export function startTmux(tag: string, dir: string, env: Readonly<Record<string, string>>, size = { width: 100, height: 30 }): Tmux {
  const socket = `berth-test-${tag}`;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const exports = Object.entries(env)
    .filter(([k]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
    .map(([k, v]) => `export ${k}='${v.replaceAll("'", "'\\''")}'`)
    .join('\n');
  let started = false;
  return {
    run(name, command) {
      const script = join(dir, `${name}.sh`);
      writeFileSync(script, `${exports}\nexport TERM=xterm-256color\n${command}\necho $? > ${join(dir, `${name}.exit`)}\nsleep 3600\n`);
      const shell = `env -i PATH='${(env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').replaceAll("'", "'\\''")}' bash --norc --noprofile ${script}`;
      const args = ['-x', String(size.width), '-y', String(size.height), '-n', name, shell];
      if (!started) tmux('new-session', '-d', '-s', 'main', ...args);
      else tmux('new-window', '-t', 'main', ...args.slice(4));
      started = true;
    },
    capture(name, escapes = false) {
      return tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', `main:${name}`);
    },
    keys(name, ...keys) {
      tmux('send-keys', '-t', `main:${name}`, ...keys);
    },
    exitCode(name) {
      try {
        return Number(execFileSync('cat', [join(dir, `${name}.exit`)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      } catch {
        return undefined;
      }
    },
    kill() {
      spawnSync('tmux', ['-L', socket, 'kill-server']);
    },
  };
}
