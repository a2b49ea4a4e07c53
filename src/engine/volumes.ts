/**
 * Named and anonymous volumes: directories under $BERTH_ROOT/volumes/<name>/_data with a
 * volume.json record (labels). On first use a volume is filled with the image's content at
 * the mount point, as Docker does.
 */
import { BerthError, errnoCode } from '../errors.js';
import { LayerStack, SafeDir, components, copyTree, unsafePath, using, walkBeneath } from '../util/safe-path/index.js';
import { VOLUME_NAME, volumeDir, volumesDir, type EnginePaths } from './paths.js';
import { hasFields, readJsonFile, writeJsonFile } from '../util/json-file.js';
const { mkdirSync, readdirSync, rmSync, existsSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');

export interface VolumeRecord {
  readonly name: string;
  readonly project: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly created: string;
  readonly initialised?: boolean;
}

export function volumeDataDir(paths: EnginePaths, name: string): string {
  return join(volumeDir(paths, name), '_data');
}

const isVolumeRecord = (v: unknown): v is VolumeRecord => hasFields(v, { name: 'string', project: 'string', created: 'string' });

/** Creates the volume dir and record; idempotent. Returns true when it was created now. */
export function ensureVolume(paths: EnginePaths, name: string, project: string, labels: Readonly<Record<string, string>> = {}): boolean {
  const dir = volumeDir(paths, name);
  const recordFile = join(dir, 'volume.json');
  if (existsSync(recordFile)) return false;
  mkdirSync(join(dir, '_data'), { recursive: true });
  const rec: VolumeRecord = { name, project, labels, created: new Date().toISOString() };
  writeJsonFile(recordFile, rec);
  return true;
}

export function readVolume(paths: EnginePaths, name: string): VolumeRecord | undefined {
  return readJsonFile(join(volumeDir(paths, name), 'volume.json'), isVolumeRecord, 'engine/state-corrupt');
}

export function listVolumes(paths: EnginePaths): VolumeRecord[] {
  let names: string[];
  try {
    names = readdirSync(volumesDir(paths));
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw err;
  }
  return names.sort().flatMap((n) => {
    if (!VOLUME_NAME.test(n)) return [];
    const r = readVolume(paths, n);
    return r ? [r] : [];
  });
}

/** Removes a volume; missing = done. */
export function removeVolume(paths: EnginePaths, name: string): void {
  rmSync(volumeDir(paths, name), { recursive: true, force: true });
}

/**
 * Copies the image's content at `target` into an empty, never-initialised volume, as the
 * container would see it: `target` is resolved inside the image (a layer symlink to a host
 * directory means that directory inside the image), and the copy never follows a symlink
 * (util/safe-path). Layers are given top first and applied bottom first (upper files win,
 * whiteouts remove).
 */
export function initialiseVolume(paths: EnginePaths, name: string, layerDirs: readonly string[], target: string): void {
  const rec = readVolume(paths, name);
  if (!rec || rec.initialised) return;
  const data = volumeDataDir(paths, name);
  if (readdirSync(data).length === 0 && layerDirs.length > 0) {
    const what = `volume ${name}: image content at ${target}`;
    const image = new LayerStack(layerDirs);
    const sources = image.directories(image.resolve(target, true, what), what);
    try {
      using(SafeDir.open(data), (dst) => {
        for (const src of sources) copyTree(src, dst);
      });
    } finally {
      for (const src of sources) src.close();
    }
  }
  writeJsonFile(join(volumeDir(paths, name), 'volume.json'), { ...rec, initialised: true });
}

/** Removes the anonymous volumes of a container (`rm -v`, `--renew-anon-volumes`). */
export function removeAnonymousVolumes(paths: EnginePaths, container: string): string[] {
  const gone: string[] = [];
  for (const v of listVolumes(paths)) {
    if (v.name.startsWith(`${container}_anon_`) && v.labels['berth.anonymous'] === 'True') {
      removeVolume(paths, v.name);
      gone.push(v.name);
    }
  }
  return gone;
}

/**
 * The host path of a volume's `subpath` (compose `volume.subpath`), checked as Docker does:
 * it must exist in the volume; and since a volume's content is written by containers, no
 * component may be `..` or a symlink (a planted `sub -> /etc` would otherwise bind the host's
 * /etc). The caller mounts `<dataDir>/<subpath>` right after this check.
 */
export function checkVolumeSubpath(dataDir: string, subpath: string, what: string): void {
  const parts = components(subpath);
  if (subpath.startsWith('/') || parts.length === 0) throw unsafePath(what, `subpath "${subpath}" must be a relative path inside the volume`);
  const last = parts.at(-1)!;
  using(SafeDir.open(dataDir), (root) => {
    let parent: SafeDir;
    try {
      parent = walkBeneath(root, parts.slice(0, -1), { what, subject: `subpath "${subpath}"` });
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') throw missingSubpath(what, subpath);
      throw err;
    }
    using(parent, (dir) => {
      const st = dir.lstat(last);
      if (!st) throw missingSubpath(what, subpath);
      if (st.isSymbolicLink()) throw unsafePath(what, `subpath "${subpath}" is a symlink`);
    });
  });
}

function missingSubpath(what: string, subpath: string): BerthError {
  return new BerthError('engine/volume-subpath', `${what}: subpath "${subpath}" does not exist in the volume`, {
    hint: 'create it in the volume first (a container that mounts the whole volume can)',
  });
}
