import type { Command } from '../command.js';
import { UsageError } from '../../errors.js';
import { attachDashboard } from '../dashboard-session.js';
import { engineFor, sourceOf } from './compose-shared.js';

export const command: Command = {
  usage: 'berth dashboard',
  summary: 'Show the live dashboard of a running project (services, logs, keys)',
  args: { min: 0, max: 0 },
  flags: [],
  async run(ctx) {
    const stdin = ctx.stdin as NodeJS.ReadableStream & { isTTY?: boolean };
    if (ctx.stdout.isTTY !== true || stdin.isTTY !== true) throw new UsageError('berth dashboard needs a terminal (use berth ps and berth logs -f otherwise)');
    return attachDashboard(ctx, await engineFor(ctx), sourceOf(ctx));
  },
};
