/**
 * `network_mode: service:X` / `container:NAME`: the container joins X's network namespace
 * and, as Docker does, uses X's /etc/hosts, /etc/hostname and /etc/resolv.conf (X's own files,
 * bind-mounted: an update of X's /etc/hosts is seen by both) and X's hostname.
 */
import type { Project, Service } from '../spec/index.js';
import type { MountConfig, NamespacesConfig } from '../runtime/index.js';
import { Labels } from '../api/index.js';
import { BerthError } from '../errors.js';
import type { EngineContext } from './context.js';
const { readFileSync } = process.getBuiltinModule('node:fs');

export interface JoinedNetwork {
  readonly namespaces: NamespacesConfig;
  /** X's files bound over the container's /etc/hosts, /etc/hostname, /etc/resolv.conf. */
  readonly mounts: readonly MountConfig[];
  /** X's hostname (the container's own is ignored, as Docker does). */
  readonly hostname?: string;
}

/** The running container `network_mode` names (service:X of this project, or container:NAME|ID). */
export async function joinedNetwork(ctx: EngineContext, project: Pick<Project, 'name'>, service: Service): Promise<JoinedNetwork | undefined> {
  const mode = service.network_mode;
  if (!mode || !(mode.startsWith('service:') || mode.startsWith('container:'))) return undefined;
  const target = mode.slice(mode.indexOf(':') + 1);
  const states = await ctx.ports.runtime.list();
  const hit = mode.startsWith('service:')
    ? states.find((s) => s.labels[Labels.project] === project.name && s.labels[Labels.service] === target && s.status === 'running')
    : states.find((s) => (s.name === target || s.id === target) && s.status === 'running');
  if (!hit) throw new BerthError('engine/network-mode', `service ${service.name}: network_mode ${mode}: no running container found`);
  const namespaces = { net: { path: `/proc/${hit.pid}/ns/net` } };
  const files = await ctx.ports.runtime.etcFiles?.(hit.id);
  if (!files) return { namespaces, mounts: [] };
  const mounts: MountConfig[] = [
    { type: 'bind', source: files.hosts, target: '/etc/hosts', createHostPath: false },
    { type: 'bind', source: files.hostname, target: '/etc/hostname', createHostPath: false },
    { type: 'bind', source: files.resolvConf, target: '/etc/resolv.conf', createHostPath: false },
  ];
  let hostname: string | undefined;
  try {
    hostname = readFileSync(files.hostname, 'utf8').trim() || undefined;
  } catch (err) {
    throw new BerthError('engine/network-mode', `service ${service.name}: network_mode ${mode}: cannot read the hostname of container ${hit.name}`, { cause: err });
  }
  return { namespaces, mounts, ...(hostname ? { hostname } : {}) };
}
