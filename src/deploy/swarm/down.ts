/**
 * `berth deploy --to swarm --down`: removes the project's services, waits for their
 * containers to go, then removes its networks, secrets and configs (and its volumes with
 * `volumes`). Missing is done: a second run changes nothing. Errors are gathered.
 */
import type { DeployEvent, DeployOptions } from '../../api/index.js';
import { BerthError } from '../../errors.js';
import { SwarmLabels } from '../labels.js';
import { DockerApiError, dockerClient, dockerSocket, labelFilter, type DockerClient } from './docker-client.js';
import { observeSwarm } from './observe.js';
import { swarmProjectName } from './project-name.js';

export async function downSwarm(options: DeployOptions): Promise<void> {
  const project = await swarmProjectName(options);
  const client = dockerClient(dockerSocket(options.source.env, options.dockerSocket), options.signal);
  const emit = (object: string, name: string, action: DeployEvent['action']): void => options.onEvent?.({ kind: 'deploy', action, time: Date.now(), project, object, name });
  const observed = await observeSwarm(client, project);
  const errors: unknown[] = [];
  const attempt = async (fn: () => Promise<unknown>): Promise<void> => {
    try {
      await fn();
    } catch (err) {
      errors.push(err);
    }
  };
  for (const s of observed.services) {
    await attempt(async () => {
      await client.call('DELETE', `/services/${s.id}`, { ok404: true });
      emit('Service', s.name, 'removed');
    });
  }
  await awaitNoContainers(client, project, options.signal);
  for (const n of observed.networks) await attempt(() => removeWithRetry(client, `/networks/${n.id}`, options.signal).then(() => emit('Network', n.name, 'removed')));
  for (const f of observed.secrets) await attempt(() => client.call('DELETE', `/secrets/${f.id}`, { ok404: true }).then(() => emit('Secret', f.name, 'removed')));
  for (const f of observed.configs) await attempt(() => client.call('DELETE', `/configs/${f.id}`, { ok404: true }).then(() => emit('Config', f.name, 'removed')));
  if (options.volumes) {
    const vols = (await client.call<{ Volumes: { Name: string }[] | null }>('GET', '/volumes', { query: labelFilter(SwarmLabels.namespace, project) }))?.Volumes ?? [];
    for (const v of vols) await attempt(() => removeWithRetry(client, `/volumes/${v.Name}`, options.signal).then(() => emit('Volume', v.Name, 'removed')));
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new BerthError('deploy/down', `${errors.length} objects could not be removed: ${errors.map((e) => (e as Error).message).join('; ')}`, { cause: errors[0] });
}

/** The service's containers go some time after the service: networks and volumes wait for that. */
async function awaitNoContainers(client: DockerClient, project: string, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const left = (await client.call<unknown[]>('GET', '/containers/json', { query: { all: '1', ...labelFilter(SwarmLabels.namespace, project) } })) ?? [];
    if (left.length === 0 || Date.now() > deadline) return;
    signal?.throwIfAborted();
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** DELETE that retries while the daemon says the object is still in use (409), for up to 30 s. */
async function removeWithRetry(client: DockerClient, path: string, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await client.call('DELETE', path, { ok404: true });
      return;
    } catch (err) {
      const busy = err instanceof DockerApiError && (err.status === 409 || /in use|active endpoints/.test(err.message));
      if (!busy || Date.now() > deadline) throw err;
      signal?.throwIfAborted();
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
