import type { CommandContext } from '../../command.js';
import { runtimeContext } from '../../../runtime/context.js';
import { resolveContainer } from '../../../runtime/state.js';
import type { ContainerId, RuntimeContext } from '../../../runtime/types.js';

/**
 * `berth container VERB CONTAINER...` as docker does it: each named container in turn, the
 * line `fn` returns printed for each, an error printed and the rest still done; exit 1 when
 * any failed.
 */
export async function eachContainer(ctx: CommandContext, fn: (rt: RuntimeContext, id: ContainerId, ref: string) => Promise<string>): Promise<number> {
  const rt = runtimeContext(ctx.env);
  let failed = 0;
  for (const ref of ctx.args) {
    try {
      ctx.stdout.write(`${await fn(rt, await resolveContainer(rt, ref), ref)}\n`);
    } catch (err) {
      failed++;
      ctx.stderr.write(`berth: ${(err as Error).message}\n`);
    }
  }
  return failed ? 1 : 0;
}
