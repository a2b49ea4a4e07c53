import type { Command } from '../../command.js';

const list = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);

export const command: Command = {
  usage: 'berth container exec [OPTIONS] CONTAINER COMMAND [ARG...]',
  summary: 'Execute a command in a running container',
  stopAtPositional: true,
  args: { min: 2 },
  flags: [
    { name: 'env', short: 'e', type: 'list', value: 'KEY=VALUE', help: 'Set environment variables' },
    { name: 'workdir', short: 'w', type: 'string', value: 'DIR', help: 'Working directory inside the container' },
    { name: 'user', short: 'u', type: 'string', value: 'USER[:GROUP]', help: 'Username or UID' },
    { name: 'interactive', short: 'i', type: 'bool', help: 'Keep STDIN open' },
    { name: 'tty', short: 't', type: 'bool', help: 'Allocate a pseudo-TTY' },
    { name: 'detach', short: 'd', type: 'bool', help: 'Detached mode: run the command in the background (output discarded)' },
    { name: 'privileged', type: 'bool', help: 'Give extended privileges to the command (every capability, no seccomp filter)' },
  ],
  async run(ctx) {
    const f = ctx.flags;
    const containers = await ctx.backend.containers();
    return containers.exec({
      container: ctx.args[0]!,
      command: ctx.args.slice(1),
      env: list(f.env),
      ...(typeof f.workdir === 'string' && f.workdir !== '' ? { workdir: f.workdir } : {}),
      ...(typeof f.user === 'string' && f.user !== '' ? { user: f.user } : {}),
      interactive: f.interactive === true,
      tty: f.tty === true,
      detach: f.detach === true,
      privileged: f.privileged === true,
      signal: ctx.signal,
      stdin: ctx.stdin,
      stdout: ctx.stdout,
      stderr: ctx.stderr,
    });
  },
};
