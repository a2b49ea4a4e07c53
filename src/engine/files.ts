/**
 * `secrets:` and `configs:` of a service, and `volumes_from`: turned into bind mounts.
 * Secret/config content (from a file, an environment variable or inline `content`) is
 * written under projects/<p>/files/<container>/ with the requested mode and owner, and
 * bound read-only at its target (secrets: /run/secrets/<name>; configs: /<name>).
 */
import type { Project, Service, FileReference } from '../spec/index.js';
import type { MountConfig, ContainerState } from '../runtime/index.js';
import { BerthError } from '../errors.js';
import type { StateStore } from './state-store.js';
import { Labels } from '../api/index.js';
import { readSpec } from './container-ops.js';
const { mkdirSync, readFileSync, writeFileSync, chmodSync, chownSync, rmSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');

function contentOf(project: Project, kind: 'secrets' | 'configs', ref: FileReference, env: Readonly<Record<string, string | undefined>>, service: string): Buffer {
  const def = project[kind][ref.source];
  if (!def) throw new BerthError('engine/undefined-file', `service ${service}: ${kind.slice(0, -1)} "${ref.source}" is not defined`);
  if (def.external) throw new BerthError('engine/unsupported', `service ${service}: external ${kind} are not supported`);
  if (def.file !== undefined) {
    try {
      return readFileSync(def.file);
    } catch (err) {
      throw new BerthError('engine/file', `service ${service}: cannot read ${kind.slice(0, -1)} ${ref.source} from ${def.file}`, { cause: err });
    }
  }
  if (def.environment !== undefined) {
    const v = env[def.environment] ?? project.environment[def.environment];
    if (v === undefined) throw new BerthError('engine/file', `service ${service}: environment variable ${def.environment} for ${kind.slice(0, -1)} ${ref.source} is not set`);
    return Buffer.from(v);
  }
  return Buffer.from(def.content ?? '');
}

export function fileMounts(store: StateStore, project: Project, service: Service, container: string, env: Readonly<Record<string, string | undefined>>): MountConfig[] {
  const dir = join(store.dir, 'files', container);
  rmSync(dir, { recursive: true, force: true });
  // closed to other host users: each file keeps the mode compose asks for inside the
  // container (default 0444), which the bind mount shows there whatever its parents' modes
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const out: MountConfig[] = [];
  for (const kind of ['secrets', 'configs'] as const) {
    for (const ref of service[kind] ?? []) {
      const data = contentOf(project, kind, ref, env, service.name);
      const name = ref.target ?? ref.source;
      const target = name.startsWith('/') ? name : kind === 'secrets' ? `/run/secrets/${name}` : `/${name}`;
      const file = join(dir, kind, ref.source);
      mkdirSync(join(dir, kind), { recursive: true, mode: 0o700 });
      writeFileSync(file, data, { mode: 0o600 });
      chmodSync(file, ref.mode ?? 0o444);
      if (ref.uid !== undefined || ref.gid !== undefined) chownSync(file, Number(ref.uid ?? 0), Number(ref.gid ?? 0));
      out.push({ type: 'bind', source: file, target, readOnly: true });
    }
  }
  return out;
}

/** The bind mounts of another service's (or container's) container, `:ro` honoured. */
export function volumesFromMounts(store: StateStore, project: Project, service: Service, states: readonly ContainerState[]): MountConfig[] {
  const out: MountConfig[] = [];
  for (const entry of service.volumes_from ?? []) {
    const parts = entry.split(':');
    const ro = parts[parts.length - 1] === 'ro';
    const rw = parts[parts.length - 1] === 'rw';
    const ref = ro || rw ? parts.slice(0, -1) : parts;
    const from =
      ref[0] === 'container'
        ? states.find((s) => s.name === ref[1] || s.id === ref[1])
        : states.find((s) => s.labels[Labels.project] === project.name && s.labels[Labels.service] === ref[0] && s.labels[Labels.oneoff] !== 'True');
    if (!from) throw new BerthError('engine/volumes-from', `service ${service.name}: volumes_from ${entry}: no such container`);
    const spec = readSpec(store, from.name);
    for (const m of spec?.config.mounts ?? []) if (m.type === 'bind' && !m.source.startsWith(join(store.dir, 'files'))) out.push({ ...m, ...(ro ? { readOnly: true } : {}) });
  }
  return out;
}
