/** The image each named service runs (compose's pull/push selection), outside `up`. */
import type { Project } from '../spec/index.js';
import { selectServices, serviceImageRef } from '../spec/index.js';
import { pickServices } from './project-source.js';

export interface ServiceImage {
  readonly name: string;
  readonly ref: string;
  readonly buildable: boolean;
}

export function serviceImages(project: Project, names: readonly string[], o: { includeDeps: boolean; forPull: boolean; ignoreBuildable: boolean }): ServiceImage[] {
  pickServices(project, names, true); // names must exist
  const selected = names.length === 0 ? project : o.includeDeps ? selectServices(project, names) : project;
  const wanted = names.length === 0 || o.includeDeps ? Object.keys(selected.services) : [...names];
  const out: ServiceImage[] = [];
  for (const name of wanted.sort()) {
    const svc = selected.services[name];
    if (!svc) continue;
    const buildable = svc.build !== undefined;
    if (o.forPull && (svc.pull_policy === 'build' || (buildable && (o.ignoreBuildable || svc.image === undefined)))) continue;
    out.push({ name, ref: serviceImageRef(project.name, name, svc.image), buildable });
  }
  return out;
}

/** Services grouped by the image they share, in order: one pull or push per image. */
export function byImage(items: readonly ServiceImage[]): Map<string, ServiceImage[]> {
  const out = new Map<string, ServiceImage[]>();
  for (const it of items) out.set(it.ref, [...(out.get(it.ref) ?? []), it]);
  return out;
}
