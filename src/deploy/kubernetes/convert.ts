/**
 * The compose project as Kubernetes objects (pure: files are read through `readFile`).
 * Order: ConfigMaps and Secrets, PVCs, Services, workloads, NetworkPolicies, each sorted by
 * name, so `kubectl apply -f` of the output creates what a pod needs before the pod.
 */
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { Project } from '../../spec/index.js';
import { checksumOf, configMapOf, envConfigMapOf, fileContent, secretOf, type ReadFile } from './files.js';
import { networkPoliciesOf } from './network-policy.js';
import { serviceOf } from './service.js';
import { workloadOf } from './workload.js';

/** A Kubernetes object as plain data (what the typed models validate and the API applies). */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
  readonly [key: string]: unknown;
}

export function convertToKubernetes(project: Project, readFile: ReadFile): KubeObject[] {
  const names = Object.keys(project.services).sort();
  const secrets = new Map<string, ISecret>();
  const configs = new Map<string, IConfigMap>();
  const used = (kind: 'secrets' | 'configs'): string[] => [...new Set(names.flatMap((n) => (project.services[n]![kind] ?? []).map((r) => r.source)))].sort();
  for (const key of used('secrets')) {
    const content = fileContent(project, 'secrets', key, readFile);
    if (content) secrets.set(key, secretOf(project, key, content));
  }
  for (const key of used('configs')) {
    const content = fileContent(project, 'configs', key, readFile);
    if (content) configs.set(key, configMapOf(project, key, content));
  }
  const envMaps = names.flatMap((n) => envConfigMapOf(project, n) ?? []);
  const claims = new Map<string, KubeObject>();
  const workloads: KubeObject[] = [];
  for (const name of names) {
    const service = project.services[name]!;
    const reads: (IConfigMap | ISecret)[] = [
      ...envMaps.filter((m) => m.metadata?.name === envConfigMapOf(project, name)?.metadata?.name),
      ...(service.secrets ?? []).flatMap((r) => secrets.get(r.source) ?? []),
      ...(service.configs ?? []).flatMap((r) => configs.get(r.source) ?? []),
    ];
    const { workload, claims: own } = workloadOf(project, name, checksumOf(reads));
    workloads.push(workload as KubeObject);
    for (const c of own) claims.set(c.metadata?.name ?? '', c as KubeObject);
  }
  const byName = (a: KubeObject, b: KubeObject): number => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
  return [
    ...[...envMaps, ...configs.values()].sort(byName as never),
    ...[...secrets.values()].sort(byName as never),
    ...[...claims.values()].sort(byName),
    ...names.map((n) => serviceOf(project, n)),
    ...workloads,
    ...networkPoliciesOf(project),
  ] as KubeObject[];
}
