/**
 * `berth deploy --to swarm`: observe, plan, execute. Networks, then secrets and configs,
 * then services as their dependencies allow (a service is created once the services it
 * depends on converged), then the removal of what the project no longer names.
 */
import type { DeployEvent, DeployOptions } from '../../api/index.js';
import { loadForTarget } from '../load.js';
import { awaitConverged, type ApiServiceState } from './converge.js';
import { dockerClient, dockerSocket, type DockerClient } from './docker-client.js';
import { observeSwarm, type SwarmObserved } from './observe.js';
import { pinnedImages } from './pin.js';
import { planSwarm, type SwarmPlan } from './plan.js';
import { desiredSwarm, type DesiredService, type Json, type SwarmDesired } from './spec.js';
const { readFileSync } = process.getBuiltinModule('node:fs');

type Emit = (object: string, name: string, action: DeployEvent['action'], detail?: string) => void;

/** Load, observe, plan: what a deploy would do (`--dry-run` prints it). */
async function prepare(options: DeployOptions): Promise<{ project: string; client: DockerClient; desired: SwarmDesired; observed: SwarmObserved; plan: SwarmPlan }> {
  const { project } = await loadForTarget(options);
  const client = dockerClient(dockerSocket(options.source.env, options.dockerSocket), options.signal);
  const pins = options.pinImages ? await pinnedImages(project, options.source.env) : new Map<string, string>();
  const desired = desiredSwarm(project, (p) => readFileSync(p), pins);
  const observed = await observeSwarm(client, project.name);
  return { project: project.name, client, desired, observed, plan: planSwarm(desired, observed) };
}

export async function planSwarmDeploy(options: DeployOptions): Promise<string> {
  const { plan } = await prepare(options);
  return plan.empty ? 'nothing to change' : plan.toString();
}

export async function deploySwarm(options: DeployOptions): Promise<void> {
  const { project, client, desired, observed, plan } = await prepare(options);
  const emit: Emit = (object, name, action, detail) => options.onEvent?.({ kind: 'deploy', action, time: Date.now(), project, object, name, ...(detail !== undefined ? { detail } : {}) });
  await applySwarmPlan(client, plan, desired, observed, { emit, wait: options.noWait !== true, ...(options.signal ? { signal: options.signal } : {}) });
}

export async function applySwarmPlan(
  client: DockerClient,
  plan: SwarmPlan,
  desired: SwarmDesired,
  observed: SwarmObserved,
  options: { emit: Emit; wait: boolean; signal?: AbortSignal },
): Promise<void> {
  const { emit } = options;
  const ops = plan.operations;
  for (const op of ops) {
    if (op.op !== 'create-network') continue;
    const net = desired.networks.find((n) => n.name === op.name)!;
    emit('Network', op.name, 'creating');
    await client.call('POST', '/networks/create', { body: { ...net.spec, CheckDuplicate: true } });
    emit('Network', op.name, 'created');
  }
  const ids = new Map<string, string>([...observed.secrets, ...observed.configs].map((o) => [o.name, o.id]));
  for (const op of ops) {
    if (op.op !== 'create-secret' && op.op !== 'create-config') continue;
    const file = desired.files.find((f) => f.name === op.name)!;
    const kind = op.op === 'create-secret' ? 'secrets' : 'configs';
    const res = await client.call<{ ID: string }>('POST', `/${kind}/create`, { body: { Name: file.name, Labels: file.labels, Data: file.data.toString('base64') } });
    ids.set(file.name, res!.ID);
    emit(kind === 'secrets' ? 'Secret' : 'Config', file.name, 'created');
  }
  // services: each starts once the services it depends on converged (started, or healthy)
  const converged = new Map<string, Promise<void>>();
  const live = new Map(observed.services.map((s) => [s.name, s]));
  const work = (s: DesiredService): Promise<void> => {
    const existing = converged.get(s.name);
    if (existing) return existing;
    const run = (async () => {
      const deps = s.dependsOn.map((d) => desired.services.find((x) => x.service === d)).filter((d): d is DesiredService => d !== undefined);
      await Promise.all(deps.map(work));
      const op = ops.find((o) => o.name === s.name && (o.op === 'create-service' || o.op === 'update-service' || o.op === 'keep-service'))!;
      const spec = withFileIds(s.spec, ids);
      let id = live.get(s.name)?.id;
      let updateSince: string | null | undefined;
      if (op.op === 'create-service') {
        emit('Service', s.name, 'creating');
        id = (await client.call<{ ID: string }>('POST', '/services/create', { body: spec }))!.ID;
        emit('Service', s.name, 'created');
      } else if (op.op === 'update-service') {
        emit('Service', s.name, 'updating');
        // the version as it is now: an update still rolling from before moves it on
        const before = await client.call<ApiServiceState>('GET', `/services/${id}`);
        await client.call('POST', `/services/${id}/update`, { body: spec, query: { version: String(before?.Version.Index ?? live.get(s.name)!.version) } });
        const after = await client.call<ApiServiceState>('GET', `/services/${id}`);
        // a changed task template replaces the tasks: wait for that update, not the old tasks
        if (JSON.stringify(after?.Spec.TaskTemplate) !== JSON.stringify(after?.PreviousSpec?.TaskTemplate)) updateSince = before?.UpdateStatus?.StartedAt ?? null;
        emit('Service', s.name, 'updated');
      } else emit('Service', s.name, 'unchanged');
      // a dependency is waited for even with noWait: its dependants need it running
      const needed = options.wait || desired.services.some((x) => x.dependsOn.includes(s.service));
      if (!needed || id === undefined) return;
      emit('Service', s.name, 'waiting', 'tasks');
      await awaitConverged(client, id, {
        what: `service ${s.name}`,
        ...(updateSince !== undefined ? { updateSince } : {}),
        onProgress: (p) => emit('Service', s.name, p.running >= p.desired ? 'running' : 'waiting', `${p.running}/${p.desired} tasks${p.lastError ? `, ${p.lastError}` : ''}`),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      emit('Service', s.name, 'running', 'converged');
    })();
    converged.set(s.name, run);
    return run;
  };
  await Promise.all(desired.services.map(work));
  for (const op of ops) {
    if (op.op === 'remove-service') {
      await client.call('DELETE', `/services/${op.name}`, { ok404: true });
      emit('Service', op.name, 'removed', 'no longer in the project');
    }
  }
  // old secrets/configs: only once the services that used them moved on
  for (const op of ops) {
    if (op.op !== 'remove-secret' && op.op !== 'remove-config') continue;
    const kind = op.op === 'remove-secret' ? 'secrets' : 'configs';
    await client.call('DELETE', `/${kind}/${ids.get(op.name) ?? op.name}`, { ok404: true });
    emit(kind === 'secrets' ? 'Secret' : 'Config', op.name, 'removed', 'replaced');
  }
}

/** The spec with SecretID/ConfigID filled in from the names (the API wants both). */
function withFileIds(spec: Json, ids: ReadonlyMap<string, string>): Json {
  const task = spec.TaskTemplate as Json;
  const container = { ...(task.ContainerSpec as Json) };
  for (const [field, name, id] of [
    ['Secrets', 'SecretName', 'SecretID'],
    ['Configs', 'ConfigName', 'ConfigID'],
  ] as const) {
    const refs = container[field] as Json[] | undefined;
    if (refs) container[field] = refs.map((r) => ({ ...r, [id]: ids.get(r[name] as string) ?? r[name] }));
  }
  return { ...spec, TaskTemplate: { ...task, ContainerSpec: container } };
}
