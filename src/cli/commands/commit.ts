// berth commit SERVICE [IMAGE]: compose's verb over `berth container commit`; the service's
// container (replica --index, default 1) is found through the engine, the rest is shared.
import type { Command } from '../command.js';
import { BerthError } from '../../errors.js';
import { command as containerCommit } from './container/commit.js';
import { engineFor, int, sourceOf } from './compose-shared.js';

export const command: Command = {
  usage: 'berth commit [OPTIONS] SERVICE [REPOSITORY[:TAG]]',
  summary: "Create a new image from a service container's changes",
  args: { min: 1, max: 2 },
  flags: [...containerCommit.flags, { name: 'index', type: 'int', value: 'N', help: 'Index of the container if service has multiple replicas (default 1)' }],
  async run(ctx) {
    const [service, ref] = ctx.args as [string, string | undefined];
    const index = int(ctx, 'index') ?? 1;
    const engine = await engineFor(ctx);
    const rows = await engine.ps({ source: sourceOf(ctx), services: [service], all: true, signal: ctx.signal });
    const row = rows.find((r) => r.service === service && r.number === index && !r.oneoff);
    if (!row) {
      throw new BerthError('engine/no-container', `service ${service} has no container${index === 1 ? '' : ` with index ${index}`}`, {
        hint: 'create it first with berth up',
      });
    }
    return containerCommit.run({ ...ctx, args: ref === undefined ? [row.id] : [row.id, ref] });
  },
};
