import type { Command, CommandContext } from '../command.js';
import { UsageError } from '../../errors.js';
import type { UpOptions } from '../../api/index.js';
import { upWithDashboard, wantsDashboard } from '../dashboard-session.js';
import { runWatchSession, watchSidecar } from '../watch-session.js';
import { bool, engineFor, imageFlags, imageOptions, int, list, orphanOptions, rendererFor, scaleFlags, sourceOf, str, withRenderer } from './compose-shared.js';

export const command: Command = {
  usage: 'berth up [OPTIONS] [SERVICE...]',
  summary: 'Create and start containers',
  dryRun: true,
  flags: [
    { name: 'detach', short: 'd', type: 'bool', help: 'Detached mode: run containers in the background' },
    { name: 'wait', type: 'bool', help: 'Wait for services to be running|healthy. Implies detached mode' },
    { name: 'wait-timeout', type: 'int', value: 'SECONDS', help: 'Maximum duration to wait for the project to be running|healthy' },
    { name: 'no-start', type: 'bool', help: "Don't start the services after creating them" },
    { name: 'force-recreate', type: 'bool', help: "Recreate containers even if their configuration and image haven't changed" },
    { name: 'no-recreate', type: 'bool', help: "If containers already exist, don't recreate them" },
    { name: 'remove-orphans', type: 'bool', help: 'Remove containers for services not defined in the Compose file' },
    { name: 'abort-on-container-exit', type: 'bool', help: 'Stops all containers if any container was stopped. Incompatible with -d' },
    { name: 'abort-on-container-failure', type: 'bool', help: 'Stops all containers if any container exited with failure. Incompatible with -d' },
    { name: 'exit-code-from', type: 'string', value: 'SERVICE', help: 'Return the exit code of the selected service container' },
    { name: 'scale', type: 'list', value: 'SERVICE=NUM', help: 'Scale SERVICE to NUM instances' },
    { name: 'timeout', short: 't', type: 'int', value: 'SECONDS', help: 'Shutdown timeout in seconds' },
    { name: 'no-deps', type: 'bool', help: "Don't start linked services" },
    { name: 'attach', type: 'list', value: 'SERVICE', help: 'Restrict attaching to the specified services. Incompatible with --attach-dependencies' },
    { name: 'attach-dependencies', type: 'bool', help: 'Automatically attach to log output of dependent services' },
    { name: 'always-recreate-deps', type: 'bool', help: 'Recreate dependent containers. Incompatible with --no-recreate' },
    { name: 'quiet-pull', type: 'bool', help: 'Pull without printing progress information' },
    { name: 'yes', short: 'y', type: 'bool', help: 'Assume "yes" as answer to all prompts and run non-interactively (berth never prompts)' },
    { name: 'no-attach', type: 'list', value: 'SERVICE', help: 'Do not attach (stream logs) to the specified services' },
    ...imageFlags,
    { name: 'renew-anon-volumes', short: 'V', type: 'bool', help: 'Recreate anonymous volumes instead of retrieving data from the previous containers' },
    { name: 'timestamps', type: 'bool', help: 'Show timestamps' },
    { name: 'no-color', type: 'bool', help: 'Produce monochrome output' },
    { name: 'no-log-prefix', type: 'bool', help: "Don't print prefix in logs" },
    { name: 'watch', short: 'w', type: 'bool', help: 'Watch source code and rebuild/refresh containers when files are updated' },
    {
      name: 'menu',
      type: 'bool',
      help: 'Enable interactive shortcuts (the dashboard) when running attached on a terminal. Incompatible with --detach. Can also be enabled/disabled by setting COMPOSE_MENU environment var.',
    },
    { name: 'restart-on-change', type: 'bool', help: "With --watch: restart a service when files change under the host directories it bind-mounts (berth's own)" },
  ],
  async run(ctx) {
    const images = imageOptions(ctx);
    const exitCodeFrom = str(ctx, 'exit-code-from');
    const abortOnFailure = bool(ctx, 'abort-on-container-failure');
    const abortOnExit = bool(ctx, 'abort-on-container-exit') || (exitCodeFrom !== undefined && !abortOnFailure);
    checkUpFlags(ctx, abortOnExit, abortOnFailure);
    const detach = bool(ctx, 'detach');
    const engine = await engineFor(ctx);
    const waitTimeout = int(ctx, 'wait-timeout');
    const timeout = int(ctx, 'timeout');
    const options = {
      source: sourceOf(ctx),
      services: ctx.args,
      detach,
      wait: bool(ctx, 'wait'),
      ...(waitTimeout !== undefined ? { waitTimeoutMs: waitTimeout * 1000 } : {}),
      noStart: bool(ctx, 'no-start'),
      forceRecreate: bool(ctx, 'force-recreate'),
      noRecreate: bool(ctx, 'no-recreate'),
      ...orphanOptions(ctx),
      abortOnContainerExit: abortOnExit,
      abortOnContainerFailure: abortOnFailure,
      attachDependencies: bool(ctx, 'attach-dependencies'),
      alwaysRecreateDeps: bool(ctx, 'always-recreate-deps'),
      quietPull: bool(ctx, 'quiet-pull'),
      ...(exitCodeFrom ? { exitCodeFrom } : {}),
      scale: scaleFlags(list(ctx, 'scale')),
      ...(timeout !== undefined ? { timeout } : {}),
      noDeps: bool(ctx, 'no-deps'),
      attach: list(ctx, 'attach'),
      noAttach: list(ctx, 'no-attach'),
      ...images,
      renewAnonVolumes: bool(ctx, 'renew-anon-volumes'),
    } satisfies Omit<UpOptions, 'onEvent' | 'onLog' | 'signal'>;
    if (ctx.global.dryRun) {
      ctx.stdout.write(`${await withRenderer(ctx, {}, (onEvent) => engine.planUp({ ...options, onEvent }))}\n`);
      return 0;
    }
    if (bool(ctx, 'restart-on-change') && !bool(ctx, 'watch')) throw new UsageError('--restart-on-change needs --watch');
    if (bool(ctx, 'watch') && !detach) {
      const source = sourceOf(ctx);
      return runWatchSession(ctx, engine, { source, services: ctx.args, prune: true, restartOnChange: bool(ctx, 'restart-on-change'), stopOnExit: true, dashboard: wantsDashboard(ctx) });
    }
    if (!detach && !bool(ctx, 'wait') && !bool(ctx, 'no-start') && wantsDashboard(ctx)) return upWithDashboard(ctx, engine, options);
    // -d --watch: the project's supervisor runs `berth watch --no-up` beside the stack
    const sidecar = bool(ctx, 'watch') ? { sidecar: watchSidecar(ctx, bool(ctx, 'restart-on-change')) } : {};
    const renderer = await rendererFor(ctx, { timestamps: bool(ctx, 'timestamps'), prefix: !bool(ctx, 'no-log-prefix') });
    try {
      const result = await engine.up({ ...options, ...sidecar, onEvent: (e) => renderer.event(e), onLog: (l) => renderer.log(l), signal: ctx.signal });
      return result.exitCode;
    } finally {
      await renderer.close();
    }
  },
};

/** docker compose's combinations of up's flags, with its messages. */
function checkUpFlags(ctx: CommandContext, abortOnExit: boolean, abortOnFailure: boolean): void {
  const attach = list(ctx, 'attach').length > 0;
  const attachDeps = bool(ctx, 'attach-dependencies');
  if (abortOnExit && abortOnFailure) throw new UsageError('--abort-on-container-failure cannot be combined with --abort-on-container-exit');
  const wait = bool(ctx, 'wait');
  if (wait && (attachDeps || abortOnExit || attach)) throw new UsageError('--wait cannot be combined with --abort-on-container-exit, --attach or --attach-dependencies');
  // berth keeps `up -d --watch` (the supervisor runs the watch), which compose refuses
  if ((bool(ctx, 'detach') || wait) && (attachDeps || abortOnExit || abortOnFailure || attach)) {
    throw new UsageError(`--${wait ? 'wait' : 'detach'} cannot be combined with --abort-on-container-exit, --abort-on-container-failure, --attach or --attach-dependencies`);
  }
  const noRecreate = bool(ctx, 'no-recreate');
  if (bool(ctx, 'renew-anon-volumes') && noRecreate) throw new UsageError('--no-recreate and --renew-anon-volumes are incompatible');
  if (bool(ctx, 'force-recreate') && noRecreate) throw new UsageError('--force-recreate and --no-recreate are incompatible');
  if (bool(ctx, 'always-recreate-deps') && noRecreate) throw new UsageError('--always-recreate-deps and --no-recreate are incompatible');
  if (attach && attachDeps) throw new UsageError('cannot combine --attach and --attach-dependencies');
}
