/**
 * What each compose key becomes on each target, as a table keyed by the key's path
 * (compose-go's habit: rules are tables, not chains of ifs). A rule is a verdict, or a
 * function of the value when the verdict depends on it (a bind mount, a global service).
 * Keys missing from a table are `dropped` with a generic note.
 */
import type { Fidelity, DeployTarget } from '../api/index.js';

type Rule = Fidelity | ((value: unknown, owner: Readonly<Record<string, unknown>>) => Fidelity);
type Table = Readonly<Record<string, Rule>>;

const exact: Fidelity = { verdict: 'exact' };
const dropped = (note: string): Fidelity => ({ verdict: 'dropped', note });
const approx = (note: string): Fidelity => ({ verdict: 'approximate', note });
const refused = (note: string): Fidelity => ({ verdict: 'refused', note });

const list = (v: unknown): readonly Record<string, unknown>[] => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);

/** Both targets: an image is needed; a build alone cannot run on a cluster. */
const build: Rule = (_v, service) =>
  service.image === undefined
    ? refused('a build without an image: name cannot run on a cluster; name the image to push')
    : approx('the image: name is deployed: berth build it, then deploy --push (or berth push)');

const swarmVolumes: Rule = (v) => {
  const types = new Set(list(v).map((m) => m.type));
  if (types.has('bind')) return approx('bind mounts need the host path on every node the task may run on');
  if ([...types].some((t) => t !== 'volume' && t !== 'tmpfs')) return dropped('only volume, bind and tmpfs mounts exist in swarm');
  return exact;
};

const kubeVolumes: Rule = (v) => {
  const types = new Set(list(v).map((m) => m.type));
  if (types.has('bind')) return refused('a bind mount has no host path on a cluster node; use a named volume');
  if (list(v).some((m) => m.type === 'volume' && m.source === undefined)) return approx('anonymous volumes become emptyDir (lost with the pod)');
  if (types.has('tmpfs')) return approx('named volumes become PersistentVolumeClaims (1Gi, ReadWriteOnce); tmpfs becomes emptyDir medium Memory');
  return approx('named volumes become PersistentVolumeClaims (1Gi, ReadWriteOnce)');
};

const swarmPorts: Rule = (v) => (list(v).some((p) => p.host_ip !== undefined) ? approx('host_ip is not supported by swarm: published on all addresses') : exact);

const kubePorts: Rule = (v) =>
  list(v).some((p) => p.published !== undefined) ? approx('published ports become the Service port inside the cluster (ClusterIP); expose them with a LoadBalancer or Ingress') : exact;

const kubeDeploy: Rule = (v) => {
  const d = (v ?? {}) as Record<string, unknown>;
  if (d.mode === 'global') return refused('deploy.mode global (a DaemonSet) is not supported yet');
  const gone = ['placement', 'update_config', 'rollback_config', 'restart_policy'].filter((k) => d[k] !== undefined);
  if (gone.length > 0) return approx(`replicas and resources map exactly; ${gone.join(', ')} have no Kubernetes equivalent and are dropped`);
  return d.endpoint_mode === 'dnsrr' ? approx('endpoint_mode dnsrr becomes a headless Service') : exact;
};

const kubeUser: Rule = (v) => (/^\d+(:\d+)?$/.test(String(v)) ? exact : dropped('a user name cannot be resolved by Kubernetes; use a numeric uid'));

const swarm: Table = {
  image: exact,
  build,
  command: exact,
  entrypoint: exact,
  environment: exact,
  labels: exact,
  hostname: exact,
  user: exact,
  working_dir: exact,
  healthcheck: exact,
  stop_signal: exact,
  stop_grace_period: exact,
  tty: exact,
  stdin_open: exact,
  read_only: exact,
  init: exact,
  cap_add: exact,
  cap_drop: exact,
  sysctls: exact,
  ulimits: exact,
  extra_hosts: exact,
  dns: exact,
  dns_opt: exact,
  dns_search: exact,
  group_add: exact,
  logging: exact,
  ports: swarmPorts,
  volumes: swarmVolumes,
  networks: exact,
  secrets: exact,
  configs: exact,
  deploy: exact,
  depends_on: approx('honoured at deploy time (a service is created once its dependencies run); swarm does not keep the order on restarts'),
  restart: approx('becomes deploy.restart_policy.condition'),
  scale: approx('becomes deploy.replicas'),
  mem_limit: approx('becomes deploy.resources.limits.memory'),
  mem_reservation: approx('becomes deploy.resources.reservations.memory'),
  cpus: approx('becomes deploy.resources.limits.cpus'),
  pids_limit: approx('becomes deploy.resources.limits.pids'),
  expose: dropped('every port of a task is reachable over its overlay networks'),
  container_name: dropped('swarm names tasks itself (<project>_<service>.<slot>)'),
  links: dropped('services reach each other by name on their networks'),
};

const kubernetes: Table = {
  image: exact,
  build,
  command: exact,
  entrypoint: exact,
  environment: approx('kept in a ConfigMap the container reads with envFrom; variables without a value are dropped'),
  labels: approx('container labels become one pod annotation'),
  hostname: approx('becomes the pod hostname'),
  user: kubeUser,
  working_dir: exact,
  healthcheck: approx('becomes a readiness probe (exec); x-kubernetes.liveness adds a liveness probe'),
  stop_grace_period: exact,
  tty: exact,
  stdin_open: exact,
  read_only: exact,
  privileged: exact,
  cap_add: exact,
  cap_drop: exact,
  sysctls: exact,
  extra_hosts: exact,
  ports: kubePorts,
  expose: exact,
  volumes: kubeVolumes,
  networks: approx('each network becomes a NetworkPolicy admitting traffic from pods on the same network'),
  secrets: exact,
  configs: exact,
  deploy: kubeDeploy,
  depends_on: approx("an initContainer waits for each dependency's Service to answer"),
  restart: approx('Deployments always restart their pods'),
  scale: approx('becomes the replica count'),
  mem_limit: approx('becomes resources.limits.memory'),
  mem_reservation: approx('becomes resources.requests.memory'),
  cpus: approx('becomes resources.limits.cpu'),
  container_name: dropped('Kubernetes names pods itself'),
  links: dropped('services reach each other by their Service name'),
  stop_signal: dropped('Kubernetes always sends SIGTERM'),
  init: dropped('no init process option in a pod spec'),
};

export const rules: Readonly<Record<DeployTarget, Table>> = { swarm, kubernetes };

/** Keys that are bookkeeping, not behaviour: never reported. */
export const IGNORED_KEYS: ReadonlySet<string> = new Set(['name', 'profiles', 'pull_policy', 'extensions', 'develop', 'attach', 'platform']);

/** The verdict for a key (`dropped` when the table has no rule). */
export function ruleFor(target: DeployTarget, key: string, owner: Readonly<Record<string, unknown>>): Fidelity {
  const rule = rules[target][key];
  if (rule === undefined) return dropped(`${target} has no equivalent`);
  return typeof rule === 'function' ? rule(owner[key], owner) : rule;
}
