import type { Command } from '../command.js';
import { UsageError } from '../../errors.js';
import { bool, int, runVerb } from './compose-shared.js';

export const command: Command = {
  usage: 'berth start [OPTIONS] [SERVICE...]',
  summary: 'Start services',
  dryRun: true,
  flags: [
    { name: 'wait', type: 'bool', help: 'Wait for services to be running|healthy. Implies detached mode.' },
    { name: 'wait-timeout', type: 'int', value: 'SECONDS', help: 'Maximum duration in seconds to wait for the project to be running|healthy' },
  ],
  run(ctx) {
    const waitTimeout = int(ctx, 'wait-timeout');
    if (waitTimeout !== undefined && waitTimeout < 0) throw new UsageError('--wait-timeout must be a non-negative integer');
    return runVerb(ctx, (engine, o) => engine.start({ ...o, wait: bool(ctx, 'wait'), ...(waitTimeout ? { waitTimeoutMs: waitTimeout * 1000 } : {}) }), { verb: 'start' });
  },
};
