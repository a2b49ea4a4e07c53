// The content store under $BERTH_ROOT/images:
//   blobs/sha256/<hex>         manifests, configs, compressed layers (OCI layout conventions)
//   layers/<diffid-hex>/diff   a layer unpacked once, read-only, shared by all containers
//   layers/<diffid-hex>/size   its unpacked size in bytes
//   images/<id-hex>.json       one record per image (id = config digest)
//   tags.json                  canonical name:tag -> image id
//   holds/<id-hex>/<holder>    containers using an image (reference counts)
//   tmp/                       downloads and unpacks in flight (renamed into place when verified)
import { BerthError, errnoCode } from '../errors.js';
import { hexOf, sha256Of, checkDigest } from './digest.js';
import type { Digest, Platform } from './types.js';
import { compareText } from '../util/compare.js';
import { withLockFile } from '../util/lock-file.js';
import type { Clock } from '../util/clock.js';
import { STATE_ROOT_MODE } from '../util/berth-dirs.js';
import { hasFields, isObject, readJsonFile, readJsonFileAsync, writeJsonFile, writeJsonFileAsync } from '../util/json-file.js';
const { mkdirSync, existsSync } = process.getBuiltinModule('node:fs');
const { readFile, writeFile, rename, mkdir, rm, readdir } = process.getBuiltinModule('node:fs/promises');
const { randomBytes } = process.getBuiltinModule('node:crypto');
const { join } = process.getBuiltinModule('node:path');

export interface ImageStore {
  readonly root: string;
  readonly tmp: string;
}

/** A compressed layer blob as the manifest lists it. */
export interface LayerDescriptor {
  readonly mediaType: string;
  readonly digest: Digest;
  readonly size: number;
}

/** What the store knows about one image. */
export interface ImageRecord {
  readonly id: Digest;
  /** Manifest blob kept in blobs/ (absent for images built/imported without one yet). */
  readonly manifest: Digest | undefined;
  readonly layers: readonly LayerDescriptor[];
  readonly diffIds: readonly Digest[];
  readonly platform: Platform;
  readonly created: string | undefined;
  readonly repoDigests: readonly string[];
  readonly size: number;
}

export function openImageStore(root: string): ImageStore {
  // a missing BERTH_ROOT is made 0711 on the way (util/berth-dirs.ts)
  for (const d of ['blobs/sha256', 'layers', 'images', 'holds', 'tmp']) mkdirSync(join(root, d), { recursive: true, mode: STATE_ROOT_MODE });
  return { root, tmp: join(root, 'tmp') };
}

export const blobPath = (s: ImageStore, d: Digest): string => join(s.root, 'blobs', 'sha256', hexOf(d));
export const layerRoot = (s: ImageStore, diffId: Digest): string => join(s.root, 'layers', hexOf(diffId));
export const layerDiffDir = (s: ImageStore, diffId: Digest): string => join(layerRoot(s, diffId), 'diff');
export const imageRecordPath = (s: ImageStore, id: Digest): string => join(s.root, 'images', `${hexOf(id)}.json`);

export function tmpName(s: ImageStore, what: string): string {
  return join(s.tmp, `${what}-${process.pid}-${randomBytes(6).toString('hex')}`);
}

export function hasBlob(s: ImageStore, d: Digest): boolean {
  return existsSync(blobPath(s, d));
}

export function hasLayer(s: ImageStore, diffId: Digest): boolean {
  return existsSync(layerDiffDir(s, diffId));
}

export async function readBlob(s: ImageStore, d: Digest): Promise<Buffer> {
  try {
    const data = await readFile(blobPath(s, d));
    checkDigest(`blob ${d}`, d, sha256Of(data));
    return data;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') throw new BerthError('image/blob-missing', `blob ${d} is not in the store`, { cause: err });
    throw err;
  }
}

/** Writes a small blob (manifest, config) atomically; returns its digest. */
export async function writeBlob(s: ImageStore, data: Buffer | string, expected?: Digest): Promise<Digest> {
  const digest = sha256Of(data);
  if (expected) checkDigest('blob', expected, digest);
  const dest = blobPath(s, digest);
  if (existsSync(dest)) return digest;
  const tmp = tmpName(s, 'blob');
  await writeFile(tmp, data);
  await rename(tmp, dest);
  return digest;
}

export async function readImageRecord(s: ImageStore, id: Digest): Promise<ImageRecord | undefined> {
  return readJsonFileAsync(imageRecordPath(s, id), isImageRecord, 'image/store-corrupt');
}

export async function writeImageRecord(s: ImageStore, rec: ImageRecord): Promise<void> {
  await writeJsonFileAsync(imageRecordPath(s, rec.id), rec, { indent: 2 });
}

export async function listImageRecords(s: ImageStore): Promise<ImageRecord[]> {
  const out: ImageRecord[] = [];
  for (const f of (await readdir(join(s.root, 'images'))).sort()) {
    if (!/^[a-f0-9]{64}\.json$/.test(f)) continue;
    const rec = await readImageRecord(s, `sha256:${f.slice(0, 64)}` as Digest);
    if (rec) out.push(rec);
  }
  return out;
}

export type TagIndex = Record<string, Digest>;
const isTagIndex = (v: unknown): v is TagIndex => isObject(v) && Object.values(v).every((d) => typeof d === 'string');
const isImageRecord = (v: unknown): v is ImageRecord => hasFields(v, { id: 'string' });

export function readTags(s: ImageStore): TagIndex {
  return readJsonFile(join(s.root, 'tags.json'), isTagIndex, 'image/store-corrupt') ?? {};
}

export function writeTags(s: ImageStore, tags: TagIndex): void {
  const sorted = Object.fromEntries(Object.entries(tags).sort(([a], [b]) => compareText(a, b)));
  writeJsonFile(join(s.root, 'tags.json'), sorted, { indent: 2 });
}

/**
 * Serializes changes to tags and records between berth processes (src/util/lock-file.ts: the
 * owner's pid and start time, never visible empty; a dead owner's lock is broken). Waits ~15 s
 * (on `clock`: tests pass a fake).
 */
export async function withStoreLock<T>(s: ImageStore, fn: () => Promise<T> | T, clock?: Clock): Promise<T> {
  const lock = join(s.root, 'lock');
  return withLockFile(
    lock,
    {
      timeoutMs: 15_000,
      pollMs: 5,
      ...(clock ? { clock } : {}),
      timeoutError: () => new BerthError('image/store-locked', `image store ${s.root} is locked`, { hint: `remove ${lock} if no berth is running` }),
    },
    fn,
  );
}

/** Removes leftovers of interrupted pulls (tmp entries whose pid is gone). */
export async function cleanTmp(s: ImageStore): Promise<void> {
  for (const name of await readdir(s.tmp)) {
    if (name.startsWith('partial-')) continue; // kept on purpose: an interrupted download resumes from it
    const pid = Number(name.split('-')[1]);
    let alive = false;
    try {
      if (Number.isInteger(pid) && pid > 0) {
        process.kill(pid, 0);
        alive = true;
      }
    } catch {
      alive = false;
    }
    if (!alive) await rm(join(s.tmp, name), { recursive: true, force: true });
  }
}

export async function ensureDir(p: string): Promise<void> {
  await mkdir(p, { recursive: true });
}
