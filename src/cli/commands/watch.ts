import type { Command } from '../command.js';
import { wantsDashboard } from '../dashboard-session.js';
import { runWatchSession } from '../watch-session.js';
import { bool, engineFor, sourceOf } from './compose-shared.js';

export const command: Command = {
  usage: 'berth watch [OPTIONS] [SERVICE...]',
  summary: 'Watch build context for service and rebuild/refresh containers when files are updated',
  flags: [
    { name: 'no-up', type: 'bool', help: 'Do not build & start services before watching' },
    { name: 'prune', type: 'bool', help: 'Prune dangling images on rebuild (default: true; --prune=false keeps them)' },
    { name: 'quiet', type: 'bool', help: 'Hide build output' },
    { name: 'restart-on-change', type: 'bool', help: "Restart a service when files change under the host directories it bind-mounts (berth's own; no develop section needed)" },
  ],
  async run(ctx) {
    return runWatchSession(ctx, await engineFor(ctx), {
      source: sourceOf(ctx),
      services: ctx.args,
      noUp: bool(ctx, 'no-up'),
      // on by default, as compose's
      prune: ctx.flags.prune !== false,
      quiet: bool(ctx, 'quiet'),
      restartOnChange: bool(ctx, 'restart-on-change'),
      stopOnExit: false,
      dashboard: wantsDashboard(ctx),
    });
  },
};
