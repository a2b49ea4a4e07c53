import type { Command } from '../../command.js';
import { runtimeContext } from '../../../runtime/context.js';
import { deleteContainer } from '../../../runtime/delete.js';
import { resolveContainer } from '../../../runtime/state.js';

export const command: Command = {
  usage: 'berth container rm [OPTIONS] CONTAINER [CONTAINER...]',
  summary: 'Remove one or more containers',
  args: { min: 1 },
  flags: [{ name: 'force', short: 'f', type: 'bool', help: 'Force the removal of a running container (uses SIGKILL)' }],
  async run(ctx) {
    const rt = runtimeContext(ctx.env);
    let failed = 0;
    await Promise.all(
      ctx.args.map(async (ref) => {
        try {
          await deleteContainer(rt, await resolveContainer(rt, ref), { force: ctx.flags.force === true });
          ctx.stdout.write(`${ref}\n`);
        } catch (err) {
          failed++;
          ctx.stderr.write(`berth: ${(err as Error).message}\n`);
        }
      }),
    );
    return failed ? 1 : 0;
  },
};
