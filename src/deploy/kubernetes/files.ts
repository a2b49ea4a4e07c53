/** ConfigMaps and Secrets: the service environment, configs, secrets, with their content. */
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { Project } from '../../spec/index.js';
import { kubeName, projectLabels } from './names.js';
const { createHash } = process.getBuiltinModule('node:crypto');

export { fileContent, type ReadFile } from '../content.js';

export function configMapName(key: string): string {
  return kubeName(`config-${key}`);
}
export function secretName(key: string): string {
  return kubeName(`secret-${key}`);
}
export function envName(service: string): string {
  return kubeName(`${service}-env`);
}

/** The key a secret/config's content has inside its object. */
export const DATA_KEY = 'content';

export function configMapOf(project: Project, key: string, content: Buffer): IConfigMap {
  const text = content.toString('utf8');
  const binary = !Buffer.from(text, 'utf8').equals(content);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: configMapName(key), labels: projectLabels(project.name) },
    ...(binary ? { binaryData: { [DATA_KEY]: content.toString('base64') } } : { data: { [DATA_KEY]: text } }),
  };
}

export function secretOf(project: Project, key: string, content: Buffer): ISecret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: { name: secretName(key), labels: projectLabels(project.name) },
    data: { [DATA_KEY]: content.toString('base64') },
  };
}

/** The service's environment as a ConfigMap (variables without a value are left out). */
export function envConfigMapOf(project: Project, service: string): IConfigMap | undefined {
  const env = project.services[service]?.environment ?? {};
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(env).sort(([a], [b]) => (a < b ? -1 : 1))) if (v !== null) data[k] = v;
  if (Object.keys(data).length === 0) return undefined;
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: envName(service), labels: projectLabels(project.name) }, data };
}

/** sha256 over the objects a pod reads, in a stable order: the pod template's checksum annotation. */
export function checksumOf(objects: readonly (IConfigMap | ISecret)[]): string {
  const h = createHash('sha256');
  for (const o of [...objects].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))) {
    h.update(`${o.kind}/${o.metadata?.name}\n${JSON.stringify(o.data ?? {})}\n${JSON.stringify((o as IConfigMap).binaryData ?? {})}\n`);
  }
  return h.digest('hex');
}
