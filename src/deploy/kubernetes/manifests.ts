/** `berth convert --format kubernetes`: the validated objects as YAML, one file per object. */
import type { ConvertedFile } from '../../api/index.js';
import { emitYaml, type Project } from '../../spec/index.js';
import { convertToKubernetes, type KubeObject } from './convert.js';
import { validateObjects } from './validate.js';
const { readFileSync } = process.getBuiltinModule('node:fs');

/** The project's objects, checked against the schemas and the semantic rules. */
export async function validatedObjects(project: Project, readFile = (p: string): Buffer => readFileSync(p)): Promise<KubeObject[]> {
  const objects = convertToKubernetes(project, readFile);
  await validateObjects(objects);
  return objects;
}

export function fileNameOf(o: KubeObject, index: number): string {
  return `${String(index + 1).padStart(2, '0')}-${o.kind.toLowerCase()}-${o.metadata?.name ?? 'unnamed'}.yaml`;
}

export async function manifests(project: Project, readFile?: (p: string) => Buffer): Promise<ConvertedFile[]> {
  const objects = await validatedObjects(project, readFile);
  return objects.map((o, i) => ({ name: fileNameOf(o, i), text: emitYaml(o as unknown as Record<string, unknown>) }));
}
