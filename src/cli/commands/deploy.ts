import type { Command, CommandContext } from '../command.js';
import type { DeployOptions, DeployTarget } from '../../api/index.js';
import { UsageError } from '../../errors.js';
import { bool, rendererFor, sourceOf, str, table } from './compose-shared.js';

function targetOf(ctx: CommandContext): DeployTarget {
  const to = str(ctx, 'to');
  if (to !== 'swarm' && to !== 'kubernetes') throw new UsageError(`berth deploy: --to must be swarm or kubernetes${to === undefined ? '' : `, not "${to}"`}`);
  return to;
}

export const command: Command = {
  usage: 'berth deploy --to swarm|kubernetes [OPTIONS]',
  summary: 'Deploy the project to Docker Swarm or Kubernetes',
  flags: [
    { name: 'to', type: 'string', value: 'TARGET', help: 'Where to deploy: swarm | kubernetes' },
    { name: 'explain', type: 'bool', help: 'Print what each compose key becomes on the target (exact, approximate, dropped, refused)' },
    { name: 'strict', type: 'bool', help: 'Refuse to deploy anything that is not mapped exactly' },
    { name: 'down', type: 'bool', help: 'Remove the deployed project' },
    { name: 'push', type: 'bool', help: "Swarm: push the services' images first (berth push) and run them pinned by digest" },
    { name: 'volumes', type: 'bool', help: 'With --down: also remove the named volumes (their data)' },
    { name: 'ps', type: 'bool', help: 'List the tasks (swarm) or pods (kubernetes) of the deployed project' },
    { name: 'context', type: 'string', value: 'NAME', help: 'Kubernetes: the kubeconfig context' },
    { name: 'namespace', type: 'string', value: 'NAME', help: 'Kubernetes: the namespace' },
    { name: 'no-wait', type: 'bool', help: 'Return once applied, without waiting for the rollout' },
  ],
  args: { min: 0, max: 0 },
  dryRun: true,
  async run(ctx) {
    const target = targetOf(ctx);
    const modes = (['explain', 'down', 'ps'] as const).filter((m) => bool(ctx, m));
    if (modes.length > 1) throw new UsageError(`berth deploy: --${modes[0]} and --${modes[1]} cannot be combined`);
    const deployer = await ctx.backend.deployer();
    const context = str(ctx, 'context');
    const namespace = str(ctx, 'namespace');
    const base = {
      source: sourceOf(ctx),
      target,
      strict: bool(ctx, 'strict'),
      noWait: bool(ctx, 'no-wait'),
      volumes: bool(ctx, 'volumes'),
      pinImages: bool(ctx, 'push'),
      signal: ctx.signal,
      ...(context !== undefined ? { context } : {}),
      ...(namespace !== undefined ? { namespace } : {}),
    } satisfies DeployOptions;
    if (modes[0] === 'explain') {
      const { formatFidelity } = await import('../../ui/index.js');
      ctx.stdout.write(formatFidelity(await deployer.explain(base)));
      return 0;
    }
    if (modes[0] === 'ps') {
      const tasks = await deployer.ps(base);
      ctx.stdout.write(
        table(
          ['SERVICE', 'NAME', 'STATE', 'DESIRED', 'NODE', 'ERROR'],
          tasks.map((t) => [t.service, t.name, t.state, t.desired, t.node ?? '', t.error ?? '']),
        ),
      );
      return 0;
    }
    if (ctx.global.dryRun) {
      if (modes[0] === 'down') throw new UsageError('berth deploy: --dry-run with --down is not supported');
      ctx.stdout.write(`${await deployer.plan(base)}\n`);
      return 0;
    }
    const renderer = await rendererFor(ctx);
    try {
      const options = { ...base, onEvent: (e: Parameters<NonNullable<DeployOptions['onEvent']>>[0]) => renderer.event(e) };
      if (modes[0] === 'down') await deployer.down(options);
      else {
        if (bool(ctx, 'push')) await (await ctx.backend.engine()).push({ source: base.source, onEvent: (e) => renderer.event(e), signal: ctx.signal });
        await deployer.deploy(options);
      }
      return 0;
    } finally {
      await renderer.close();
    }
  },
};
