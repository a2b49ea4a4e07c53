// Garbage collection of the store: layers and blobs no image record references.
// Skipped while a pull/import is in flight (its lease file in tmp/ belongs to a live pid),
// so a layer renamed into place before its record is written is never collected.
import { hexOf } from './digest.js';
import { listImageRecords, tmpName, withStoreLock, type ImageStore } from './store.js';
const { readdir, rm, stat, writeFile } = process.getBuiltinModule('node:fs/promises');
const { join } = process.getBuiltinModule('node:path');

export interface GcResult {
  readonly deletedLayers: number;
  readonly reclaimedBytes: number;
  readonly skipped: boolean;
}

async function liveLeases(s: ImageStore): Promise<boolean> {
  for (const name of await readdir(s.tmp)) {
    if (!name.startsWith('lease-')) continue;
    const pid = Number(name.split('-')[1]);
    if (pid === process.pid) return true;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      await rm(join(s.tmp, name), { force: true });
    }
  }
  return false;
}

/** A lease: while held, gc leaves the store alone (pulls, imports, loads, commits). */
export async function withLease<T>(s: ImageStore, fn: () => Promise<T>): Promise<T> {
  const lease = tmpName(s, 'lease');
  await writeFile(lease, '');
  try {
    return await fn();
  } finally {
    await rm(lease, { force: true });
  }
}

export async function collectGarbage(s: ImageStore): Promise<GcResult> {
  return withStoreLock(s, async () => {
    if (await liveLeases(s)) return { deletedLayers: 0, reclaimedBytes: 0, skipped: true };
    const records = await listImageRecords(s);
    const layers = new Set<string>();
    const blobs = new Set<string>();
    for (const r of records) {
      blobs.add(hexOf(r.id));
      if (r.manifest) blobs.add(hexOf(r.manifest));
      for (const l of r.layers) blobs.add(hexOf(l.digest));
      for (const d of r.diffIds) layers.add(hexOf(d));
    }
    let deletedLayers = 0;
    let reclaimedBytes = 0;
    for (const hex of await readdir(join(s.root, 'layers'))) {
      if (layers.has(hex)) continue;
      const size = Number(await import('node:fs/promises').then((f) => f.readFile(join(s.root, 'layers', hex, 'size'), 'utf8')).catch(() => '0'));
      await rm(join(s.root, 'layers', hex), { recursive: true, force: true });
      deletedLayers++;
      reclaimedBytes += size;
    }
    for (const hex of await readdir(join(s.root, 'blobs', 'sha256'))) {
      if (blobs.has(hex)) continue;
      const p = join(s.root, 'blobs', 'sha256', hex);
      reclaimedBytes += (await stat(p).catch(() => ({ size: 0 }))).size;
      await rm(p, { force: true });
    }
    for (const name of await readdir(s.tmp)) {
      if (!name.startsWith('partial-')) continue;
      const p = join(s.tmp, name);
      reclaimedBytes += (await stat(p).catch(() => ({ size: 0 }))).size;
      await rm(p, { force: true });
    }
    return { deletedLayers, reclaimedBytes, skipped: false };
  });
}
