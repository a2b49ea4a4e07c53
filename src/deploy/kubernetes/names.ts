/** Kubernetes names and the labels berth puts on every object of a project. */
import { KubeLabels, MANAGED_BY } from '../labels.js';

/**
 * A DNS-1123 label from a compose name (`My_DB` -> `my-db`): lower case, `-` for anything
 * else, at most 63 characters, starting with a letter (a Service name must).
 */
export function kubeName(name: string): string {
  let n = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(n)) n = `s-${n}`;
  return n.slice(0, 63).replace(/-+$/, '');
}

/** The labels on every object of the project (what prune selects by). */
export function projectLabels(project: string): Record<string, string> {
  return { [KubeLabels.partOf]: kubeName(project), [KubeLabels.managedBy]: MANAGED_BY };
}

/** The selector of a service's pods. */
export function selectorLabels(project: string, service: string): Record<string, string> {
  return { [KubeLabels.name]: kubeName(service), [KubeLabels.partOf]: kubeName(project) };
}

/** `managed-by=berth,part-of=<project>`: the label selector prune lists with. */
export function pruneSelector(project: string): string {
  return Object.entries(projectLabels(project))
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join(',');
}

/** `part-of=<project>`: the project's pods (they carry the selector labels, not managed-by). */
export function podSelector(project: string): string {
  return `${KubeLabels.partOf}=${kubeName(project)}`;
}

/** The label a pod carries for each network it joins (`berth.dev/network.back: "true"`). */
export function networkLabel(key: string): string {
  return `${KubeLabels.networkPrefix}${kubeName(key)}`.slice(0, 63 + KubeLabels.networkPrefix.length);
}

/** A port name (IANA_SVC_NAME: at most 15 characters, letters, digits and `-`). */
export function portName(protocol: string, port: number): string {
  return `${protocol.toLowerCase().slice(0, 4)}-${port}`;
}
