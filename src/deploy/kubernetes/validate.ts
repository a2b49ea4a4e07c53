/**
 * Every object berth makes is checked twice before it is written or applied: against the
 * Kubernetes OpenAPI schema (the typed models of `kubernetes-models`, loaded only here),
 * and for what a schema does not say (DNS-1123 names, selectors matching the template's
 * labels, port names of at most 15 characters, mounts naming declared volumes).
 */
import { BerthError } from '../../errors.js';
import { importEsm } from '../../util/import-esm.js';
import type { KubeObject } from './convert.js';

type ModelClass = new (data: never) => { validate(): void };

const model = (specifier: string, name: string) => async (): Promise<ModelClass> => (await importEsm<Record<string, ModelClass>>(specifier))[name]!;

const MODELS: Readonly<Record<string, () => Promise<ModelClass>>> = {
  'v1/ConfigMap': model('kubernetes-models/v1/ConfigMap', 'ConfigMap'),
  'v1/Secret': model('kubernetes-models/v1/Secret', 'Secret'),
  'v1/Service': model('kubernetes-models/v1/Service', 'Service'),
  'v1/PersistentVolumeClaim': model('kubernetes-models/v1/PersistentVolumeClaim', 'PersistentVolumeClaim'),
  'apps/v1/Deployment': model('kubernetes-models/apps/v1/Deployment', 'Deployment'),
  'apps/v1/StatefulSet': model('kubernetes-models/apps/v1/StatefulSet', 'StatefulSet'),
  'networking.k8s.io/v1/NetworkPolicy': model('kubernetes-models/networking.k8s.io/v1/NetworkPolicy', 'NetworkPolicy'),
};

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Schema validation of each object; throws `deploy/invalid-manifest` naming the object. */
export async function validateSchemas(objects: readonly KubeObject[]): Promise<void> {
  for (const o of objects) {
    const load = MODELS[`${o.apiVersion}/${o.kind}`];
    if (!load) throw new BerthError('deploy/invalid-manifest', `${o.kind} ${o.metadata?.name}: no schema for ${o.apiVersion}`);
    const Model = await load();
    try {
      new Model(structuredClone(o) as never).validate();
    } catch (err) {
      throw new BerthError('deploy/invalid-manifest', `${o.kind} ${o.metadata?.name}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
    }
  }
}

/** The semantic problems of the objects (empty when none), one line each. */
export function semanticProblems(objects: readonly KubeObject[]): string[] {
  const problems: string[] = [];
  for (const o of objects) {
    const name = o.metadata?.name ?? '';
    const what = `${o.kind} ${name}`;
    const nameRule = o.kind === 'Service' ? DNS1035_LABEL : DNS1123_SUBDOMAIN;
    if (!nameRule.test(name) || name.length > (o.kind === 'Service' ? 63 : 253)) problems.push(`${what}: name is not a DNS-1123 ${o.kind === 'Service' ? 'label' : 'subdomain'}`);
    const spec = (o.spec ?? {}) as Record<string, any>;
    if (o.kind === 'Deployment' || o.kind === 'StatefulSet') {
      const want = spec.selector?.matchLabels ?? {};
      const have = spec.template?.metadata?.labels ?? {};
      for (const [k, v] of Object.entries(want)) if (have[k] !== v) problems.push(`${what}: selector ${k}=${String(v)} does not match the template's labels`);
      const pod = spec.template?.spec ?? {};
      const volumes = new Set<string>([...(pod.volumes ?? []).map((v: { name: string }) => v.name), ...(spec.volumeClaimTemplates ?? []).map((c: { metadata: { name: string } }) => c.metadata.name)]);
      for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
        if (!DNS1123_LABEL.test(c.name)) problems.push(`${what}: container name ${c.name} is not a DNS-1123 label`);
        for (const p of c.ports ?? [])
          if (p.name !== undefined && (p.name.length > 15 || !IANA_SVC_NAME.test(p.name))) problems.push(`${what}: port name ${p.name} is not an IANA service name (at most 15 characters)`);
        for (const m of c.volumeMounts ?? []) if (!volumes.has(m.name)) problems.push(`${what}: mount ${m.mountPath} names undeclared volume ${m.name}`);
      }
    }
    if (o.kind === 'Service') {
      for (const p of spec.ports ?? [])
        if (p.name !== undefined && (p.name.length > 15 || !IANA_SVC_NAME.test(p.name))) problems.push(`${what}: port name ${p.name} is not an IANA service name (at most 15 characters)`);
    }
    for (const key of Object.keys(o.metadata?.labels ?? {})) {
      const [prefix, label] = key.includes('/') ? key.split('/', 2) : [undefined, key];
      if ((prefix !== undefined && !DNS1123_SUBDOMAIN.test(prefix)) || !/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(label ?? '')) problems.push(`${what}: label key ${key} is invalid`);
    }
  }
  return problems;
}

/** Both checks; throws on the first schema error or on any semantic problem. */
export async function validateObjects(objects: readonly KubeObject[]): Promise<void> {
  await validateSchemas(objects);
  const problems = semanticProblems(objects);
  if (problems.length > 0) throw new BerthError('deploy/invalid-manifest', problems[0]!, { details: { problems } });
}
