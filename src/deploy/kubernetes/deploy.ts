/**
 * `berth deploy --to kubernetes`: server-side apply of the validated objects (fieldManager
 * `berth`), prune of the project's objects that are no longer wanted (by the labels
 * part-of=<project>, managed-by=berth), then a wait for every workload's rollout.
 * `--down` deletes by the same labels; `--ps` lists the pods.
 */
import type { DeployedTask, DeployEvent, DeployOptions } from '../../api/index.js';
import { BerthError } from '../../errors.js';
import { importEsm } from '../../util/import-esm.js';
import { loadForTarget } from '../load.js';
import { FIELD_MANAGER } from '../labels.js';
import type { KubeObject } from './convert.js';
import { validatedObjects } from './manifests.js';
import { kubeName, podSelector, pruneSelector } from './names.js';
import { awaitRollout } from './rollout.js';

/** The kinds berth makes, in the order they are applied; prune and down walk them backwards. */
export const KINDS: readonly (readonly [apiVersion: string, kind: string])[] = [
  ['v1', 'ConfigMap'],
  ['v1', 'Secret'],
  ['v1', 'PersistentVolumeClaim'],
  ['v1', 'Service'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'StatefulSet'],
  ['networking.k8s.io/v1', 'NetworkPolicy'],
];

type Client = import('@kubernetes/client-node').KubernetesObjectApi;

export interface Connection {
  readonly client: Client;
  readonly namespace: string;
}

/** The client for the kubeconfig (KUBECONFIG or ~/.kube/config) and context the options name. */
export async function connect(options: Pick<DeployOptions, 'source' | 'context' | 'namespace'>): Promise<Connection> {
  const k8s = await importEsm<typeof import('@kubernetes/client-node')>('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  try {
    const file = options.source.env.KUBECONFIG;
    if (file) kc.loadFromFile(file);
    else kc.loadFromDefault();
    if (options.context !== undefined) {
      if (!kc.getContextObject(options.context)) throw new BerthError('deploy/no-context', `kubeconfig has no context ${options.context}`);
      kc.setCurrentContext(options.context);
    }
  } catch (err) {
    if (err instanceof BerthError) throw err;
    throw new BerthError('deploy/kubeconfig', `cannot read the kubeconfig: ${(err as Error).message}`, { cause: err });
  }
  const namespace = options.namespace ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
  return { client: k8s.KubernetesObjectApi.makeApiClient(kc), namespace };
}

const keyOf = (o: KubeObject): string => `${o.kind}/${o.metadata?.name}`;

function event(project: string, o: { kind: string; metadata?: { name?: string } }, action: DeployEvent['action'], detail?: string): DeployEvent {
  return { kind: 'deploy', action, time: Date.now(), project, object: o.kind, name: o.metadata?.name ?? '', ...(detail !== undefined ? { detail } : {}) };
}

/** What a deploy would do (`--dry-run`): the objects it applies and those it would prune. */
export async function planKubernetes(options: DeployOptions): Promise<string> {
  const { project } = await loadForTarget(options);
  const objects = await validatedObjects(project);
  const { client, namespace } = await connect(options);
  const keep = new Set(objects.map(keyOf));
  const prune = (await listOwned(client, namespace, project.name)).filter((o) => !keep.has(keyOf(o)));
  return [...objects.map((o) => `apply ${o.kind} ${namespace}/${o.metadata?.name}`), ...prune.map((o) => `prune ${o.kind} ${namespace}/${o.metadata?.name}`)].join('\n');
}

export async function deployKubernetes(options: DeployOptions): Promise<void> {
  const { project } = await loadForTarget(options);
  const objects = await validatedObjects(project);
  const { client, namespace } = await connect(options);
  const emit = (e: DeployEvent): void => options.onEvent?.(e);
  const wanted = objects.map((o) => ({ ...o, metadata: { ...o.metadata, namespace } }) as KubeObject);
  for (const o of wanted) {
    options.signal?.throwIfAborted();
    await call(`apply ${keyOf(o)}`, () => client.patch(o as never, undefined, undefined, FIELD_MANAGER, true, 'application/apply-patch+yaml'));
    emit(event(project.name, o, 'applied'));
  }
  const keep = new Set(wanted.map(keyOf));
  for (const o of await listOwned(client, namespace, project.name)) {
    if (keep.has(keyOf(o))) continue;
    await call(`delete ${keyOf(o)}`, () => client.delete(o as never));
    emit(event(project.name, o, 'removed', 'pruned'));
  }
  if (options.noWait) return;
  const workloads = wanted.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
  await awaitRollout(client, workloads, { emit: (o, action, detail) => emit(event(project.name, o, action, detail)), ...(options.signal ? { signal: options.signal } : {}) });
}

/** Every object of the project in the namespace (by the prune labels), kinds in reverse apply order. */
export async function listOwned(client: Client, namespace: string, project: string): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const [apiVersion, kind] of [...KINDS].reverse()) {
    const list = await call(`list ${kind}`, () => client.list(apiVersion, kind, namespace, undefined, undefined, undefined, undefined, pruneSelector(project)));
    for (const item of list.items) out.push({ ...(item as object), apiVersion, kind } as KubeObject);
  }
  return out;
}

export async function downKubernetes(options: DeployOptions): Promise<void> {
  const name = await projectName(options);
  const { client, namespace } = await connect(options);
  for (const o of await listOwned(client, namespace, name)) {
    if (o.kind === 'PersistentVolumeClaim' && options.volumes !== true) continue; // data stays unless asked
    await call(`delete ${keyOf(o)}`, () => client.delete(o as never));
    options.onEvent?.(event(name, o, 'removed'));
  }
}

export async function psKubernetes(options: DeployOptions): Promise<DeployedTask[]> {
  const name = await projectName(options);
  const { client, namespace } = await connect(options);
  const pods = await call('list Pod', () => client.list('v1', 'Pod', namespace, undefined, undefined, undefined, undefined, podSelector(name)));
  return pods.items
    .map((p) => {
      const pod = p as { metadata?: { name?: string; labels?: Record<string, string> }; spec?: { nodeName?: string }; status?: { phase?: string; reason?: string } };
      return {
        service: pod.metadata?.labels?.['app.kubernetes.io/name'] ?? '',
        name: pod.metadata?.name ?? '',
        state: pod.status?.phase ?? 'Unknown',
        desired: 'Running',
        ...(pod.spec?.nodeName ? { node: pod.spec.nodeName } : {}),
        ...(pod.status?.reason ? { error: pod.status.reason } : {}),
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

async function projectName(options: DeployOptions): Promise<string> {
  if (options.source.projectName) return kubeName(options.source.projectName);
  return (await loadForTarget({ ...options, strict: false })).project.name;
}

/** An API call whose failure becomes a one-line BerthError naming what was asked. */
export async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = err as { code?: number; body?: unknown; message?: string };
    let reason = e.message ?? String(err);
    try {
      const body = typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
      if (body && typeof body === 'object' && 'message' in body) reason = String((body as { message: unknown }).message);
    } catch {
      // the body was not JSON: keep the message
    }
    throw new BerthError('deploy/api', `kubernetes: ${what}: ${e.code !== undefined ? `${e.code} ` : ''}${reason.split('\n')[0]}`, { cause: err });
  }
}
