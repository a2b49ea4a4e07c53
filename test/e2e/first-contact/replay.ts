// What the first-contact replays share: the README's first command, the machine's own PATH
// (Debian 12's node is Node 20) and a fresh HOME (an empty npm cache), and the lines a user
// must never see.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** The first command of the README's first `sh` block, without its comment. */
export function firstCommand(readme: string): string {
  const block = /```sh\n([^\n]*)\n/.exec(readme);
  if (!block) throw new Error('README: no ```sh block');
  return block[1]!.replace(/\s+#.*$/, '').trim();
}

/** A new user's environment: the machine's PATH, a fresh HOME, berth's state under `dir`. */
export function userEnv(dir: string): Record<string, string> {
  return {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: join(dir, 'home'),
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
    BERTH_ROOT: join(dir, 'root'),
    BERTH_RUN: join(dir, 'run'),
  };
}

/** Lines of `screen` that are warnings from Node, npm or the toolchain, or a stack trace. */
export const noise = (screen: string): string[] => screen.split('\n').filter((l) => /\(node:\d+\)|Warning|npm warn|EBADENGINE|too old|sudo: not found|^\s+at /.test(l));
