/** The fidelity report: every key the project sets, with what it becomes on the target. */
import type { Project } from '../spec/index.js';
import { IGNORED_KEYS, ruleFor } from './fidelity-rules.js';
import type { DeployTarget, Fidelity, FidelityEntry, FidelityReport } from '../api/index.js';

export function reportFidelity(project: Project, target: DeployTarget): FidelityReport {
  const entries: FidelityEntry[] = [];
  for (const [name, service] of Object.entries(project.services)) {
    const owner = service as unknown as Readonly<Record<string, unknown>>;
    for (const key of Object.keys(owner)) {
      if (IGNORED_KEYS.has(key) || isEmpty(owner[key])) continue;
      if (key === 'other') {
        for (const k of Object.keys(service.other ?? {})) entries.push({ path: `services.${name}.${k}`, verdict: 'dropped', note: `${target} has no equivalent` });
        continue;
      }
      entries.push({ path: `services.${name}.${key}`, ...ruleFor(target, key, owner) });
    }
  }
  for (const [key, net] of Object.entries(project.networks)) entries.push({ path: `networks.${key}`, ...networkFidelity(target, net.driver, net.external === true) });
  for (const [key, vol] of Object.entries(project.volumes)) entries.push({ path: `volumes.${key}`, ...volumeFidelity(target, vol.driver, vol.external === true) });
  for (const kind of ['secrets', 'configs'] as const) {
    for (const [key, file] of Object.entries(project[kind])) entries.push({ path: `${kind}.${key}`, ...fileFidelity(target, file.external === true, file.driver) });
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { target, project: project.name, entries };
}

function isEmpty(v: unknown): boolean {
  if (v === undefined) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (v !== null && typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

function networkFidelity(target: DeployTarget, driver: string | undefined, external: boolean): Fidelity {
  if (external) return target === 'swarm' ? { verdict: 'exact', note: 'must exist as a swarm-scoped network' } : { verdict: 'dropped', note: 'pods share one cluster network' };
  if (target === 'kubernetes') return { verdict: 'approximate', note: 'becomes a NetworkPolicy (pods share one cluster network)' };
  return driver === undefined || driver === 'overlay' ? { verdict: 'exact', note: 'overlay network' } : { verdict: 'approximate', note: `driver ${driver} becomes overlay` };
}

function volumeFidelity(target: DeployTarget, driver: string | undefined, external: boolean): Fidelity {
  if (target === 'kubernetes') {
    return external
      ? { verdict: 'approximate', note: 'must exist as a PersistentVolumeClaim of that name' }
      : { verdict: 'approximate', note: 'a PersistentVolumeClaim of 1Gi, ReadWriteOnce, the default storage class' };
  }
  if (external) return { verdict: 'exact', note: 'must exist on every node' };
  return driver === undefined || driver === 'local' ? { verdict: 'approximate', note: 'a local volume on each node a task runs on (not shared between nodes)' } : { verdict: 'exact' };
}

function fileFidelity(target: DeployTarget, external: boolean, driver: string | undefined): Fidelity {
  if (driver !== undefined) return { verdict: 'dropped', note: 'secret drivers are not supported' };
  if (external) return target === 'swarm' ? { verdict: 'exact', note: 'must exist in the swarm' } : { verdict: 'approximate', note: 'must exist in the namespace under that name' };
  return { verdict: 'exact', note: target === 'swarm' ? 'named by content hash: a change makes a new object and rolls the service' : 'checksum annotation: a change rolls the pods' };
}

/** Entries that `--strict` refuses (everything not exact), and those refused anyway. */
export function blocking(report: FidelityReport, strict: boolean): readonly FidelityEntry[] {
  return report.entries.filter((e) => e.verdict === 'refused' || (strict && e.verdict !== 'exact'));
}
