/** Waiting for Deployments and StatefulSets to roll out (kubectl rollout status's rule). */
import type { DeployAction } from '../../api/index.js';
import { BerthError } from '../../errors.js';
import type { KubeObject } from './convert.js';

type Client = import('@kubernetes/client-node').KubernetesObjectApi;

interface Status {
  readonly metadata?: { readonly generation?: number };
  readonly spec?: { readonly replicas?: number };
  readonly status?: { readonly observedGeneration?: number; readonly updatedReplicas?: number; readonly readyReplicas?: number; readonly availableReplicas?: number; readonly replicas?: number };
}

/** Done when the controller saw this generation and every replica is updated and ready. */
export function rolledOut(o: Status): boolean {
  const want = o.spec?.replicas ?? 1;
  const s = o.status ?? {};
  return (s.observedGeneration ?? 0) >= (o.metadata?.generation ?? 1) && (s.updatedReplicas ?? 0) >= want && (s.readyReplicas ?? 0) >= want && (s.replicas ?? 0) <= want;
}

export async function awaitRollout(
  client: Client,
  workloads: readonly KubeObject[],
  options: { emit: (o: KubeObject, action: DeployAction, detail?: string) => void; signal?: AbortSignal; intervalMs?: number; timeoutMs?: number },
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  const pending = new Set(workloads);
  for (const o of pending) options.emit(o, 'waiting', 'rollout');
  while (pending.size > 0) {
    for (const o of pending) {
      const live = (await client.read(o as never)) as Status;
      if (rolledOut(live)) {
        pending.delete(o);
        options.emit(o, 'running', `${live.status?.readyReplicas ?? 0}/${live.spec?.replicas ?? 1} ready`);
      }
    }
    if (pending.size === 0) return;
    if (Date.now() > deadline) throw new BerthError('deploy/timeout', `rollout of ${[...pending].map((o) => `${o.kind} ${o.metadata?.name}`).join(', ')} did not finish in time`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1000));
    options.signal?.throwIfAborted();
  }
}
