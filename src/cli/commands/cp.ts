import type { Command } from '../command.js';
import { UsageError } from '../../errors.js';
import { engineFor, int, sourceOf } from './compose-shared.js';

/** `SERVICE:PATH` (a service reference) or a host path. */
function split(arg: string): { service?: string; path: string } {
  const m = /^([a-zA-Z0-9][a-zA-Z0-9_.-]*):(.*)$/.exec(arg);
  return m ? { service: m[1]!, path: m[2]! } : { path: arg };
}

export const command: Command = {
  usage: 'berth cp [OPTIONS] SERVICE:SRC_PATH DEST_PATH|- | SRC_PATH|- SERVICE:DEST_PATH',
  summary: 'Copy files/folders between a service container and the local filesystem',
  args: { min: 2, max: 2 },
  flags: [
    { name: 'archive', short: 'a', type: 'bool', help: 'Archive mode (copy all uid/gid information)' },
    { name: 'follow-link', short: 'L', type: 'bool', help: 'Always follow symbol link in SRC_PATH' },
    { name: 'index', type: 'int', value: 'N', help: 'Index of the container if service has multiple replicas' },
  ],
  async run(ctx) {
    const [a, b] = ctx.args.map(split) as [{ service?: string; path: string }, { service?: string; path: string }];
    if ((a.service === undefined) === (b.service === undefined)) throw new UsageError('cp: exactly one of the paths must be SERVICE:PATH');
    const index = int(ctx, 'index');
    const engine = await engineFor(ctx);
    const fromContainer = a.service !== undefined;
    await engine.cp({
      source: sourceOf(ctx),
      service: (fromContainer ? a.service : b.service)!,
      ...(index !== undefined ? { index } : {}),
      direction: fromContainer ? 'from-container' : 'to-container',
      containerPath: fromContainer ? a.path : b.path,
      hostPath: fromContainer ? b.path : a.path,
      archive: ctx.flags.archive === true,
      followLink: ctx.flags['follow-link'] === true,
      stdin: ctx.stdin,
      stdout: ctx.stdout,
      signal: ctx.signal,
    });
    return 0;
  },
};
