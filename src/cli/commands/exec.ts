import type { Command } from '../command.js';
import { bool, engineFor, int, list, sourceOf, str } from './compose-shared.js';
import { UsageError } from '../../errors.js';

export const command: Command = {
  usage: 'berth exec [OPTIONS] SERVICE COMMAND [ARGS...]',
  summary: 'Execute a command in a running container',
  stopAtPositional: true,
  args: { min: 2 },
  flags: [
    { name: 'detach', short: 'd', type: 'bool', help: 'Detached mode: Run command in the background' },
    { name: 'no-TTY', short: 'T', type: 'bool', help: 'Disable pseudo-TTY allocation (berth never allocates one yet)' },
    { name: 'interactive', short: 'i', type: 'bool', help: 'Keep STDIN open (default true)' },
    { name: 'user', short: 'u', type: 'string', value: 'USER', help: 'Run the command as this user' },
    { name: 'workdir', short: 'w', type: 'string', value: 'DIR', help: 'Path to workdir directory for this command' },
    { name: 'env', short: 'e', type: 'list', value: 'KEY=VAL', help: 'Set environment variables' },
    { name: 'index', type: 'int', value: 'N', help: 'Index of the container if service has multiple replicas' },
    { name: 'privileged', type: 'bool', help: 'Give extended privileges to the process (not supported)' },
  ],
  async run(ctx) {
    const [service, ...command] = ctx.args as [string, ...string[]];
    if (bool(ctx, 'detach')) throw new UsageError('exec -d is not supported yet');
    if (bool(ctx, 'privileged')) throw new UsageError('exec --privileged is not supported yet');
    const engine = await engineFor(ctx);
    const user = str(ctx, 'user');
    const workdir = str(ctx, 'workdir');
    const index = int(ctx, 'index');
    return engine.exec({
      source: sourceOf(ctx),
      service,
      command,
      ...(user ? { user } : {}),
      ...(workdir ? { workdir } : {}),
      env: list(ctx, 'env'),
      ...(index !== undefined ? { index } : {}),
      detach: bool(ctx, 'detach'),
      ...(process.stdin.isTTY || bool(ctx, 'detach') ? {} : { stdin: ctx.stdin }),
      stdout: ctx.stdout,
      stderr: ctx.stderr,
      signal: ctx.signal,
    });
  },
};
