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
    const engine = await engineFor(ctx);
    const source = sourceOf(ctx);
    if ((await engine.ps({ source, all: true })).length === 0) throw new UsageError('the project has no containers: start it with berth up -d (or berth up, which opens the dashboard itself)');
    return attachDashboard(ctx, engine, source);
  },
};
