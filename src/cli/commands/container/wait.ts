import type { Command } from '../../command.js';
import { runtimeContext } from '../../../runtime/context.js';
import { resolveContainer } from '../../../runtime/state.js';
import { waitContainer } from '../../../runtime/wait.js';

export const command: Command = {
  usage: 'berth container wait CONTAINER [CONTAINER...]',
  summary: 'Block until one or more containers stop, then print their exit codes',
  args: { min: 1 },
  flags: [],
  async run(ctx) {
    const rt = runtimeContext(ctx.env);
    let failed = 0;
    // one line per container, in the order given (as docker wait)
    for (const ref of ctx.args) {
      try {
        const exit = await waitContainer(rt, await resolveContainer(rt, ref), { signal: ctx.signal });
        ctx.stdout.write(`${exit.exitCode}\n`);
      } catch (err) {
        failed++;
        ctx.stderr.write(`berth: ${(err as Error).message}\n`);
      }
    }
    return failed ? 1 : 0;
  },
};
