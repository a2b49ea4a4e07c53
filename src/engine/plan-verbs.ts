/**
 * `--dry-run` for the verbs on existing containers (start, stop, restart, kill, pause,
 * unpause, rm): what they would do to which container, as plan text, from a snapshot;
 * nothing changes. start/stop/restart print the same plans their verbs execute.
 */
import type { VerbPlanOptions } from '../api/index.js';
import type { EngineContext } from './context.js';
import { observeProject } from './observe.js';
import { projectNameOf } from './project-source.js';
import { chosenContainers, planStart } from './start.js';
import { planDown } from './plan.js';
import { Labels } from '../api/index.js';
import { withRestartDependents } from './verbs.js';
import type { ProjectSnapshot } from './observe.js';

export async function planVerbText(ctx: EngineContext, options: VerbPlanOptions): Promise<string> {
  const { name } = await projectNameOf(options.source);
  const snap = await observeProject(ctx, name);
  const services = options.verb === 'restart' && !options.noDeps ? withRestartDependents(snap, options.services) : options.services;
  const chosen = chosenContainers(snap, services);
  const live = (c: (typeof chosen)[number]): boolean => c.status === 'running' || c.status === 'paused';
  const stopPlan = (): string => planDown(chosen, { networks: [], volumeNames: [], stopOnly: true, ...(services ? { services } : {}) }).toString();
  switch (options.verb) {
    case 'start':
      return startPlan(snap, chosen, false);
    case 'stop':
      return stopPlan();
    case 'restart':
      return `${stopPlan()}\n${startPlan(snap, chosen, true)}`;
    case 'kill':
      return lines(chosen.filter(live).map((c) => `kill ${c.name} (${options.killSignal ?? 'SIGKILL'})`));
    case 'pause':
      return lines(chosen.filter((c) => c.status === 'running').map((c) => `pause ${c.name}`));
    case 'unpause':
      return lines(chosen.filter((c) => c.status === 'paused').map((c) => `unpause ${c.name}`));
    case 'rm':
      return lines(chosen.filter((c) => options.stop || !live(c)).map((c) => `${live(c) ? `stop ${c.name}\n` : ''}remove ${c.name}`));
  }
}

function startPlan(snap: ProjectSnapshot, chosen: ReturnType<typeof chosenContainers>, lenient: boolean): string {
  return planStart({
    project: snap.project,
    chosen,
    all: snap.containers,
    labels: new Map(chosen.map((c) => [c.name, snap.states.get(c.name)?.labels[Labels.dependsOn]])),
    ...(lenient ? { lenient: true } : {}),
  }).toString();
}

const lines = (xs: readonly string[]): string => (xs.length === 0 ? '(nothing to do)' : xs.join('\n'));
