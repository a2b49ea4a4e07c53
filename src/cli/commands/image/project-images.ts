// Which image each selected service uses (for the compose verbs pull/push). The CLI is the
// one place where compose meets the image module without the engine.
import { BerthError } from '../../../errors.js';
import type { Project } from '../../../spec/index.js';
import { selectServices } from '../../../spec/index.js';

export interface ServiceImage {
  readonly name: string;
  readonly ref: string;
  readonly buildable: boolean;
}

export function projectImages(project: Project, names: readonly string[], o: { includeDeps: boolean; forPull: boolean; ignoreBuildable: boolean }): ServiceImage[] {
  for (const n of names) {
    if (!project.services[n]) throw new BerthError('spec/no-such-service', `no such service: ${n}`);
  }
  const selected = names.length === 0 ? project : o.includeDeps ? selectServices(project, names) : project;
  const wanted = names.length === 0 || o.includeDeps ? Object.keys(selected.services) : [...names];
  const out: ServiceImage[] = [];
  for (const name of wanted.sort()) {
    const svc = selected.services[name];
    if (!svc) continue;
    const buildable = svc.build !== undefined;
    if (o.forPull && (svc.pull_policy === 'build' || (buildable && (o.ignoreBuildable || svc.image === undefined)))) continue;
    const ref = svc.image ?? `${project.name}-${name}`;
    out.push({ name, ref, buildable });
  }
  return out;
}
