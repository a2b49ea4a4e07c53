import type { CommandContext } from '../../command.js';
import type { ContainerService } from '../../../api/index.js';
import { describe } from '../../../errors.js';

/**
 * `berth container VERB CONTAINER...` as docker does it: each named container, the line `fn`
 * returns printed for each, an error printed and the rest still done; exit 1 when any failed.
 * `parallel`: all at once (stop, rm), else one after another in the order given.
 */
export async function eachContainer(ctx: CommandContext, fn: (containers: ContainerService, ref: string) => Promise<string>, parallel = false): Promise<number> {
  const containers = await ctx.backend.containers();
  let failed = 0;
  const one = async (ref: string): Promise<void> => {
    try {
      ctx.stdout.write(`${await fn(containers, ref)}\n`);
    } catch (err) {
      failed++;
      ctx.stderr.write(`berth: ${describe(err)}\n`);
    }
  };
  if (parallel) await Promise.all(ctx.args.map(one));
  else for (const ref of ctx.args) await one(ref);
  return failed ? 1 : 0;
}
