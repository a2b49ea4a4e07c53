/** A Service for every compose service: ClusterIP when it has ports, headless when not. */
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServicePort } from 'kubernetes-models/v1/ServicePort';
import type { Project, Service } from '../../spec/index.js';
import { KubeLabels } from '../labels.js';
import { kubeName, portName, projectLabels, selectorLabels } from './names.js';

/** The Service ports: each published port (at its published number), then each expose. */
export function servicePorts(service: Service): IServicePort[] {
  const out: IServicePort[] = [];
  const seen = new Set<string>();
  const add = (port: number, target: number, protocol: string): void => {
    const proto = protocol.toUpperCase() === 'UDP' ? 'UDP' : 'TCP';
    const key = `${port}/${proto}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ name: portName(proto, port), port, targetPort: target, protocol: proto });
  };
  for (const p of service.ports ?? []) add(p.published !== undefined ? Number.parseInt(p.published, 10) : p.target, p.target, p.protocol);
  for (const e of service.expose ?? []) {
    const [num = '', proto = 'tcp'] = e.split('/');
    const n = Number.parseInt(num, 10);
    if (Number.isFinite(n)) add(n, n, proto);
  }
  return out;
}

export function serviceOf(project: Project, name: string): IService {
  const service = project.services[name]!;
  const ports = servicePorts(service);
  const headless = ports.length === 0 || service.deploy?.endpoint_mode === 'dnsrr';
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: kubeName(name), labels: { ...projectLabels(project.name), [KubeLabels.name]: kubeName(name) } },
    spec: {
      selector: selectorLabels(project.name, name),
      ...(headless ? { clusterIP: 'None' } : {}),
      ...(ports.length > 0 ? { ports } : {}),
    },
  };
}
