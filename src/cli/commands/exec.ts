import type { Command } from '../command.js';
import { bool, engineFor, int, list, sourceOf, str } from './compose-shared.js';

export const command: Command = {
  usage: 'berth exec [OPTIONS] SERVICE COMMAND [ARGS...]',
  summary: 'Execute a command in a running container',
  stopAtPositional: true,
  args: { min: 2 },
  flags: [
    { name: 'detach', short: 'd', type: 'bool', help: 'Detached mode: Run command in the background' },
    { name: 'no-TTY', short: 'T', type: 'bool', help: 'Disable pseudo-TTY allocation (default: a TTY when stdin is one)' },
    { name: 'tty', short: 't', type: 'bool', help: 'Allocate a pseudo-TTY (the default when stdin is one; -T wins)' },
    { name: 'interactive', short: 'i', type: 'bool', help: 'Keep STDIN open (default true)' },
    { name: 'user', short: 'u', type: 'string', value: 'USER', help: 'Run the command as this user' },
    { name: 'workdir', short: 'w', type: 'string', value: 'DIR', help: 'Path to workdir directory for this command' },
    { name: 'env', short: 'e', type: 'list', value: 'KEY=VAL', help: 'Set environment variables' },
    { name: 'index', type: 'int', value: 'N', help: 'Index of the container if service has multiple replicas' },
    { name: 'privileged', type: 'bool', help: 'Give extended privileges to the command (every capability, no seccomp filter)' },
  ],
  async run(ctx) {
    const [service, ...command] = ctx.args as [string, ...string[]];
    const detach = bool(ctx, 'detach');
    const engine = await engineFor(ctx);
    const user = str(ctx, 'user');
    const workdir = str(ctx, 'workdir');
    const index = int(ctx, 'index');
    const stdin = ctx.stdin as NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(raw: boolean): void };
    // docker compose exec: a TTY when stdin is one, unless -T (or -d)
    const tty = !detach && !bool(ctx, 'no-TTY') && stdin.isTTY === true;
    const raw = tty && typeof stdin.setRawMode === 'function';
    if (raw) stdin.setRawMode!(true);
    try {
      return await engine.exec({
        source: sourceOf(ctx),
        service,
        command,
        ...(user ? { user } : {}),
        ...(workdir ? { workdir } : {}),
        env: list(ctx, 'env'),
        ...(index !== undefined ? { index } : {}),
        detach,
        ...(bool(ctx, 'privileged') ? { privileged: true } : {}),
        ...(tty ? { tty: true } : {}),
        // stdin: a pipe or file is passed on; a terminal only with the TTY (interactive)
        ...(detach || (stdin.isTTY === true && !tty) ? {} : { stdin: ctx.stdin }),
        stdout: ctx.stdout,
        stderr: ctx.stderr,
        signal: ctx.signal,
      });
    } finally {
      if (raw) stdin.setRawMode!(false);
      if (tty) (stdin as NodeJS.ReadableStream & { pause?(): void }).pause?.();
    }
  },
};
