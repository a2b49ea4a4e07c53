import type { Command } from '../../command.js';
import { runtimeContext } from '../../../runtime/context.js';
import { spawnExec } from '../../../runtime/exec.js';
import { execDetached } from '../../../runtime/exec-detached.js';
import { requireStored, resolveContainer } from '../../../runtime/state.js';
import { resolveUser } from '../../../runtime/user.js';
import { strings } from './parse.js';

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
    const rt = runtimeContext(ctx.env);
    const id = await resolveContainer(rt, ctx.args[0]!);
    const stored = requireStored(rt, id);
    const layers = 'dir' in stored.config.rootfs ? [stored.config.rootfs.dir] : stored.config.rootfs.lowerDirs;
    const user = ctx.flags.user ? resolveUser(layers, ctx.flags.user as string) : undefined;
    const common = {
      args: ctx.args.slice(1),
      env: strings(ctx.flags.env),
      ...(ctx.flags.workdir ? { cwd: ctx.flags.workdir as string } : {}),
      ...(user ? { user } : {}),
      ...(ctx.flags.privileged === true ? { privileged: true } : {}),
    };
    if (ctx.flags.detach === true) {
      await execDetached(rt, id, common);
      return 0;
    }
    const { child, exit } = spawnExec(rt, id, {
      ...common,
      stdin: ctx.flags.interactive === true || ctx.flags.tty === true,
      tty: ctx.flags.tty === true,
      signal: ctx.signal,
    });
    child.stdout?.pipe(ctx.stdout, { end: false });
    child.stderr?.pipe(ctx.stderr, { end: false });
    const tty = ctx.stdin as NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(raw: boolean): void };
    const raw = ctx.flags.tty === true && tty.isTTY === true && typeof tty.setRawMode === 'function';
    if (raw) tty.setRawMode!(true);
    if (child.stdin) ctx.stdin.pipe(child.stdin);
    try {
      return await exit;
    } finally {
      ctx.stdin.unpipe?.();
      if (raw) tty.setRawMode!(false);
      if (child.stdin) (ctx.stdin as NodeJS.ReadableStream & { pause?(): void }).pause?.();
    }
  },
};
