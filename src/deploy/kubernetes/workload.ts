/** A Deployment (or a StatefulSet where `x-kubernetes.workload: StatefulSet`) per service. */
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import type { IPersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import type { Project, Service } from '../../spec/index.js';
import { serviceImageRef } from '../../spec/index.js';
import { KubeAnnotations, KubeLabels } from '../labels.js';
import { configMapName, DATA_KEY, envName, secretName } from './files.js';
import { kubeName, networkLabel, projectLabels, selectorLabels } from './names.js';
import { probeOf, waitContainersOf } from './probe.js';
const { posix } = process.getBuiltinModule('node:path');

/** Per-service options under `x-kubernetes:` in the compose file. */
export interface KubeServiceOptions {
  readonly workload: 'Deployment' | 'StatefulSet';
  /** Also use the healthcheck as a liveness probe. */
  readonly liveness: boolean;
}

export function kubeOptionsOf(service: Service): KubeServiceOptions {
  const x = (service.extensions?.['x-kubernetes'] ?? {}) as Record<string, unknown>;
  return { workload: x.workload === 'StatefulSet' ? 'StatefulSet' : 'Deployment', liveness: x.liveness === true };
}

export function networksOf(project: Project, service: Service): string[] {
  if (service.network_mode !== undefined) return [];
  return Object.keys(service.networks ?? { default: null })
    .filter((k) => project.networks[k] !== undefined && !project.networks[k]!.external)
    .sort();
}

/** The volumes and mounts of the pod: named volumes (PVC), anonymous/tmpfs (emptyDir), secrets, configs. */
function storageOf(service: Service, workload: KubeServiceOptions['workload']): { volumes: IVolume[]; mounts: IVolumeMount[]; claims: string[] } {
  const volumes: IVolume[] = [];
  const mounts: IVolumeMount[] = [];
  const claims: string[] = [];
  (service.volumes ?? []).forEach((m, i) => {
    const name = m.type === 'volume' && m.source !== undefined ? kubeName(`data-${m.source}`) : `scratch-${i}`;
    if (m.type === 'volume' && m.source !== undefined) {
      if (!claims.includes(m.source)) {
        claims.push(m.source);
        if (workload === 'Deployment') volumes.push({ name, persistentVolumeClaim: { claimName: kubeName(m.source) } });
      }
    } else if (m.type === 'volume' || m.type === 'tmpfs') {
      volumes.push({ name, emptyDir: m.type === 'tmpfs' ? { medium: 'Memory' } : {} });
    } else return; // bind and others: refused/dropped by the fidelity report
    mounts.push({ name, mountPath: m.target, ...(m.read_only ? { readOnly: true } : {}), ...(m.volume?.subpath ? { subPath: m.volume.subpath } : {}) });
  });
  for (const kind of ['secrets', 'configs'] as const) {
    for (const ref of service[kind] ?? []) {
      const name = kubeName(`${kind === 'secrets' ? 'secret' : 'config'}-${ref.source}`);
      const source = { items: [{ key: DATA_KEY, path: DATA_KEY }], ...(ref.mode !== undefined ? { defaultMode: ref.mode } : {}) };
      if (!volumes.some((v) => v.name === name)) {
        volumes.push(kind === 'secrets' ? { name, secret: { secretName: secretName(ref.source), ...source } } : { name, configMap: { name: configMapName(ref.source), ...source } });
      }
      const target = ref.target ?? ref.source;
      const path = kind === 'secrets' ? posix.resolve('/run/secrets', target) : posix.resolve('/', target);
      mounts.push({ name, mountPath: path, subPath: DATA_KEY, readOnly: true });
    }
  }
  return { volumes, mounts, claims };
}

/** Bytes as a Kubernetes quantity (`256Mi`), exact. */
export function quantity(bytes: number): string {
  for (const [unit, size] of [
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ] as const)
    if (bytes % size === 0 && bytes >= size) return `${bytes / size}${unit}`;
  return String(bytes);
}

function containerOf(project: Project, name: string, service: Service, options: KubeServiceOptions, mounts: IVolumeMount[]): IContainer {
  const ports = [...new Set([...(service.ports ?? []).map((p) => `${p.target}/${p.protocol}`), ...(service.expose ?? []).map((e) => (e.includes('/') ? e : `${e}/tcp`))])];
  const probe = probeOf(service.healthcheck);
  const limits: Record<string, string> = {};
  const requests: Record<string, string> = {};
  const lim = service.deploy?.resources?.limits;
  const res = service.deploy?.resources?.reservations;
  const cpus = lim?.cpus ?? service.cpus;
  const mem = lim?.memory ?? service.mem_limit;
  if (cpus !== undefined) limits.cpu = String(cpus);
  if (mem !== undefined) limits.memory = quantity(mem);
  if (res?.cpus !== undefined) requests.cpu = String(res.cpus);
  const reqMem = res?.memory ?? service.mem_reservation;
  if (reqMem !== undefined) requests.memory = quantity(reqMem);
  const user = /^(\d+)(?::(\d+))?$/.exec(service.user ?? '');
  const security = {
    ...(service.privileged ? { privileged: true } : {}),
    ...(service.read_only ? { readOnlyRootFilesystem: true } : {}),
    ...(service.cap_add?.length || service.cap_drop?.length
      ? { capabilities: { ...(service.cap_add?.length ? { add: [...service.cap_add] } : {}), ...(service.cap_drop?.length ? { drop: [...service.cap_drop] } : {}) } }
      : {}),
    ...(user ? { runAsUser: Number(user[1]), ...(user[2] !== undefined ? { runAsGroup: Number(user[2]) } : {}) } : {}),
  };
  const hasEnv = Object.values(service.environment).some((v) => v !== null);
  return {
    name: kubeName(name),
    image: service.image ?? kubeName(serviceImageRef(project.name, name, undefined)),
    ...(service.entrypoint ? { command: [...service.entrypoint] } : {}),
    ...(service.command ? { args: [...service.command] } : {}),
    ...(service.working_dir ? { workingDir: service.working_dir } : {}),
    ...(hasEnv ? { envFrom: [{ configMapRef: { name: envName(name) } }] } : {}),
    ...(ports.length > 0
      ? {
          ports: ports.map((p) => {
            const [n = '0', proto = 'tcp'] = p.split('/');
            return { containerPort: Number(n), protocol: proto.toUpperCase() === 'UDP' ? 'UDP' : 'TCP' };
          }),
        }
      : {}),
    ...(Object.keys(limits).length + Object.keys(requests).length > 0
      ? { resources: { ...(Object.keys(limits).length ? { limits } : {}), ...(Object.keys(requests).length ? { requests } : {}) } }
      : {}),
    ...(probe ? { readinessProbe: probe, ...(options.liveness ? { livenessProbe: probe } : {}) } : {}),
    ...(Object.keys(security).length > 0 ? { securityContext: security } : {}),
    ...(service.tty ? { tty: true } : {}),
    ...(service.stdin_open ? { stdin: true } : {}),
    ...(mounts.length > 0 ? { volumeMounts: mounts } : {}),
  };
}

function templateOf(project: Project, name: string, checksum: string, options: KubeServiceOptions, storage: ReturnType<typeof storageOf>): IPodTemplateSpec {
  const service = project.services[name]!;
  const networks = Object.fromEntries(networksOf(project, service).map((k) => [networkLabel(k), 'true']));
  const hosts = Object.entries(service.extra_hosts ?? {}).map(([host, ips]) => ({ ip: ips[0] ?? '', hostnames: [host] }));
  const init = waitContainersOf(project, name);
  return {
    metadata: {
      labels: { ...selectorLabels(project.name, name), ...networks },
      annotations: {
        [KubeAnnotations.configChecksum]: checksum,
        ...(service.labels && Object.keys(service.labels).length > 0 ? { [KubeAnnotations.composeLabels]: JSON.stringify(service.labels) } : {}),
      },
    },
    spec: {
      ...(init.length > 0 ? { initContainers: init } : {}),
      containers: [containerOf(project, name, service, options, storage.mounts)],
      ...(storage.volumes.length > 0 ? { volumes: storage.volumes } : {}),
      ...(service.hostname ? { hostname: kubeName(service.hostname) } : {}),
      ...(hosts.length > 0 ? { hostAliases: hosts } : {}),
      ...(service.stop_grace_period !== undefined ? { terminationGracePeriodSeconds: Math.round(service.stop_grace_period / 1e9) } : {}),
      ...(service.sysctls && Object.keys(service.sysctls).length > 0 ? { securityContext: { sysctls: Object.entries(service.sysctls).map(([n, value]) => ({ name: n, value })) } } : {}),
    },
  };
}

/** The workload of a service and the PVCs it claims (Deployments share them; a StatefulSet gets its own per pod). */
export function workloadOf(project: Project, name: string, checksum: string): { workload: IDeployment | IStatefulSet; claims: IPersistentVolumeClaim[] } {
  const service = project.services[name]!;
  const options = kubeOptionsOf(service);
  const storage = storageOf(service, options.workload);
  const metadata = { name: kubeName(name), labels: { ...projectLabels(project.name), [KubeLabels.name]: kubeName(name) } };
  const replicas = service.deploy?.replicas ?? service.scale ?? 1;
  const template = templateOf(project, name, checksum, options, storage);
  const selector = { matchLabels: selectorLabels(project.name, name) };
  if (options.workload === 'StatefulSet') {
    const templates = storage.claims.map((c) => ({ ...claimOf(project, c), metadata: { name: kubeName(`data-${c}`), labels: projectLabels(project.name) } }));
    const sts: IStatefulSet = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata,
      spec: { serviceName: kubeName(name), replicas, selector, template, ...(templates.length > 0 ? { volumeClaimTemplates: templates } : {}) },
    };
    return { workload: sts, claims: [] };
  }
  const deployment: IDeployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec: { replicas, selector, template } };
  return { workload: deployment, claims: storage.claims.map((c) => claimOf(project, c)) };
}

export function claimOf(project: Project, key: string): IPersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: kubeName(key), labels: projectLabels(project.name) },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  };
}
