/**
 * Waiting for a service to converge: every replica's task running (a task with a
 * healthcheck is `starting` until healthy, so running means healthy), and an update, if
 * one was started, completed. A rollback or a paused update is a failure.
 */
import { BerthError } from '../../errors.js';
import type { DockerClient } from './docker-client.js';

interface Task {
  ID: string;
  DesiredState: string;
  Status: { State: string; Err?: string; Message?: string };
  Version: { Index: number };
}

export interface Progress {
  readonly running: number;
  readonly desired: number;
  readonly lastError?: string;
}

export interface ApiServiceState {
  readonly Spec: { Mode: { Replicated?: { Replicas?: number }; Global?: unknown }; TaskTemplate: unknown };
  readonly PreviousSpec?: { TaskTemplate: unknown };
  readonly UpdateStatus?: { State?: string; Message?: string; StartedAt?: string };
  readonly Version: { Index: number };
}

/**
 * Progress of a service. `updateSince`: the UpdateStatus.StartedAt seen before an update
 * that replaces tasks (its task template changed): done only once a newer update completed
 * (until swarm starts it, the old tasks still count as running).
 */
export async function serviceProgress(client: DockerClient, id: string, updateSince?: string | null): Promise<{ progress: Progress; done: boolean }> {
  const service = await client.call<ApiServiceState>('GET', `/services/${id}`);
  const tasks = (await client.call<Task[]>('GET', '/tasks', { query: { filters: JSON.stringify({ service: [id] }) } })) ?? [];
  const live = tasks.filter((t) => t.DesiredState === 'running');
  const running = live.filter((t) => t.Status.State === 'running').length;
  const desired = service?.Spec.Mode.Replicated ? (service.Spec.Mode.Replicated.Replicas ?? 1) : live.length;
  const update = service?.UpdateStatus?.State;
  if (update === 'rollback_started' || update === 'rollback_completed' || update === 'paused' || update === 'rollback_paused') {
    throw new BerthError('deploy/update-failed', `service update ${update}: ${service?.UpdateStatus?.Message ?? ''}`.trim());
  }
  const failed = tasks.filter((t) => t.Status.State === 'failed' || t.Status.State === 'rejected').sort((a, b) => b.Version.Index - a.Version.Index)[0];
  const lastError = failed?.Status.Err;
  const updated = updateSince === undefined || (service?.UpdateStatus?.StartedAt !== undefined && service.UpdateStatus.StartedAt !== updateSince && update === 'completed');
  const done = running >= desired && running === live.length && update !== 'updating' && updated;
  return { progress: { running, desired, ...(lastError ? { lastError } : {}) }, done };
}

/** Polls until the service converged; `onProgress` sees each change of the counts. */
export async function awaitConverged(
  client: DockerClient,
  id: string,
  options: { onProgress?: (p: Progress) => void; signal?: AbortSignal; intervalMs?: number; timeoutMs?: number; what: string; updateSince?: string | null },
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  let last = '';
  for (;;) {
    options.signal?.throwIfAborted();
    const { progress, done } = await serviceProgress(client, id, options.updateSince);
    const key = `${progress.running}/${progress.desired}`;
    if (key !== last) options.onProgress?.(progress);
    last = key;
    if (done) return;
    if (Date.now() > deadline) {
      throw new BerthError(
        'deploy/timeout',
        `${options.what}: ${progress.running}/${progress.desired} tasks running after ${Math.round((options.timeoutMs ?? 300_000) / 1000)} s${progress.lastError ? ` (last error: ${progress.lastError})` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 250));
  }
}
