/**
 * Desired vs observed -> the operations of a swarm deploy, as data with a readable text.
 * A service is updated only when its spec hash label changed; secrets and configs are
 * named by content, so a change is a create (and the old one a removal once converged).
 */
import type { SwarmObserved } from './observe.js';
import type { SwarmDesired } from './spec.js';

export type SwarmOperation =
  | { readonly op: 'create-network'; readonly name: string }
  | { readonly op: 'create-secret' | 'create-config'; readonly name: string; readonly key: string }
  | { readonly op: 'create-service'; readonly name: string; readonly after: readonly string[] }
  | { readonly op: 'update-service'; readonly name: string; readonly after: readonly string[] }
  | { readonly op: 'keep-service'; readonly name: string }
  | { readonly op: 'remove-service'; readonly name: string }
  | { readonly op: 'remove-secret' | 'remove-config'; readonly name: string };

export interface SwarmPlan {
  readonly project: string;
  readonly operations: readonly SwarmOperation[];
  /** True when nothing would change. */
  readonly empty: boolean;
  toString(): string;
}

export function planSwarm(desired: SwarmDesired, observed: SwarmObserved): SwarmPlan {
  const ops: SwarmOperation[] = [];
  const have = (list: readonly { name: string }[], name: string): boolean => list.some((o) => o.name === name);
  for (const n of desired.networks) if (!have(observed.networks, n.name)) ops.push({ op: 'create-network', name: n.name });
  for (const f of desired.files) {
    if (!have(f.kind === 'secret' ? observed.secrets : observed.configs, f.name)) ops.push({ op: f.kind === 'secret' ? 'create-secret' : 'create-config', name: f.name, key: f.key });
  }
  const scoped = (service: string): string => `${desired.project}_${service}`;
  for (const s of desired.services) {
    const live = observed.services.find((o) => o.name === s.name);
    const after = s.dependsOn.map(scoped);
    if (!live) ops.push({ op: 'create-service', name: s.name, after });
    else if (live.hash !== s.hash) ops.push({ op: 'update-service', name: s.name, after });
    else ops.push({ op: 'keep-service', name: s.name });
  }
  for (const o of observed.services) if (!desired.services.some((s) => s.name === o.name)) ops.push({ op: 'remove-service', name: o.name });
  // secrets/configs berth made (they carry berth.key) that the project no longer names
  for (const [kind, list] of [
    ['secret', observed.secrets],
    ['config', observed.configs],
  ] as const) {
    for (const o of list) {
      if (o.labels['berth.key'] !== undefined && !desired.files.some((f) => f.kind === kind && f.name === o.name))
        ops.push({ op: kind === 'secret' ? 'remove-secret' : 'remove-config', name: o.name });
    }
  }
  const empty = ops.every((o) => o.op === 'keep-service');
  return {
    project: desired.project,
    operations: ops,
    empty,
    toString: () =>
      ops
        .map((o) => {
          const after = 'after' in o && o.after.length > 0 ? ` (after ${o.after.join(', ')} run)` : '';
          return `${o.op.replace('-', ' ')} ${o.name}${after}`;
        })
        .join('\n'),
  };
}
