/**
 * Compose networks -> NetworkPolicies. Pods carry one label per network they join; a
 * network's policy admits traffic to its pods from pods with the same label. A service
 * that publishes ports gets one more policy admitting those ports from anywhere.
 */
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { Project } from '../../spec/index.js';
import { KubeLabels } from '../labels.js';
import { kubeName, networkLabel, projectLabels, selectorLabels } from './names.js';
import { servicePorts } from './service.js';
import { networksOf } from './workload.js';

export function networkPoliciesOf(project: Project): INetworkPolicy[] {
  const used = new Set(Object.values(project.services).flatMap((s) => networksOf(project, s)));
  const part = projectLabels(project.name);
  const policies: INetworkPolicy[] = [...used].sort().map((key) => {
    const member = { [networkLabel(key)]: 'true', [KubeLabels.partOf]: kubeName(project.name) };
    return {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: kubeName(`network-${key}`), labels: part },
      spec: { podSelector: { matchLabels: member }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: member } }] }] },
    };
  });
  for (const [name, service] of Object.entries(project.services)) {
    const published = (service.ports ?? []).filter((p) => p.published !== undefined);
    if (published.length === 0) continue;
    const ports = servicePorts({ ...service, expose: [] }).map((p) => ({ port: p.targetPort as number, protocol: p.protocol ?? 'TCP' }));
    policies.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: kubeName(`${name}-published`), labels: part },
      spec: { podSelector: { matchLabels: selectorLabels(project.name, name) }, policyTypes: ['Ingress'], ingress: [{ ports }] },
    });
  }
  return policies;
}
