// pullImage: reference -> manifest (platform chosen) -> config -> layers downloaded in
// parallel, verified, unpacked -> image record + tag. Emits byte-level progress events.
import { BerthError } from '../errors.js';
import { trace } from '../util/trace.js';
import { checkDigest, sha256Of } from './digest.js';
import { partialPath, storeLayer } from './fetch-layer.js';
import { withLease } from './gc.js';
import { parseConfigBlob, platformOf } from './image-config.js';
import { mapLimit } from './limit.js';
import { toLocalImage } from './list.js';
import { hostPlatform } from './manifest.js';
import { digestedName, parseReference, taggedName } from './reference.js';
import { loadRegistryConfig } from './registry/config.js';
import { readLimited, resolveManifest } from './registry/resolve.js';
import { cleanTmp, hasBlob, hasLayer, layerRoot, readBlob, readImageRecord, readTags, withStoreLock, writeBlob, writeImageRecord, writeTags, type ImageStore } from './store.js';
import type { Digest, LocalImage, PullOptions } from './types.js';
const { createReadStream } = process.getBuiltinModule('node:fs');
const { readFile, rm, stat } = process.getBuiltinModule('node:fs/promises');
const { join } = process.getBuiltinModule('node:path');

export async function pullImage(s: ImageStore, refString: string, o: PullOptions = {}): Promise<LocalImage> {
  await cleanTmp(s);
  return withLease(s, () => pullUnderLease(s, refString, o));
}

async function pullUnderLease(s: ImageStore, refString: string, o: PullOptions): Promise<LocalImage> {
  const ref = parseReference(refString);
  const config = o.registryConfig ?? loadRegistryConfig();
  const emit = o.onProgress ?? (() => undefined);
  const name = ref.familiar;
  const internal = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, internal.signal]) : internal.signal;
  try {
    emit({ type: 'resolving', ref: name });
    const r = await resolveManifest(config, ref, o.platform ?? hostPlatform(), signal);
    const m = r.manifest.parsed;
    emit({ type: 'resolved', ref: name, digest: r.repoDigest, layers: m.layers.length });
    trace(`pull: ${name}: manifest resolved`);

    // config blob
    const cfgDigest = m.config.digest;
    let cfgData: Buffer;
    if (hasBlob(s, cfgDigest)) cfgData = await readBlob(s, cfgDigest);
    else {
      const res = await r.client.get(r.client.url(`blobs/${cfgDigest}`));
      if (!res.ok) await r.client.fail(res, `config blob ${cfgDigest} of ${name}`);
      cfgData = await readLimited(res, 8 << 20, `config of ${name}`);
      checkDigest(`image ${name}: config blob`, cfgDigest, sha256Of(cfgData));
    }
    const cfg = parseConfigBlob(`image ${name}`, cfgData);
    const diffIds = cfg.rootfs.diff_ids;
    if (diffIds.length !== m.layers.length) {
      throw new BerthError('image/invalid-manifest', `image ${name}: manifest lists ${m.layers.length} layers but the config ${diffIds.length} diff ids`);
    }

    const existing = await readImageRecord(s, cfgDigest);
    const complete = existing !== undefined && diffIds.every((d) => hasLayer(s, d)) && m.layers.every((l) => hasBlob(s, l.digest));
    await mapLimit(m.layers, o.concurrency ?? 3, async (layer, i) => {
      const diffId = diffIds[i]!;
      if (hasLayer(s, diffId) && hasBlob(s, layer.digest)) {
        emit({ type: 'layer-exists', ref: name, digest: layer.digest });
        return;
      }
      const what = `image ${name} layer ${layer.digest}`;
      const attempt = async (resume: boolean): Promise<void> => {
        const partial = partialPath(s, layer.digest);
        const have = resume
          ? await stat(partial).then(
              (st) => st.size,
              () => 0,
            )
          : 0;
        const url = r.client.url(`blobs/${layer.digest}`);
        let res = await r.client.get(url, have > 0 ? { range: `bytes=${have}-` } : {});
        if (res.status === 416) {
          await res.cancel();
          await rm(partial, { force: true });
          res = await r.client.get(url);
        }
        if (!res.ok) await r.client.fail(res, `layer ${layer.digest} of ${name}`);
        const resumed = res.status === 206 && new RegExp(`^bytes ${have}-`).test(res.headers.get('content-range') ?? '');
        if (res.status === 206 && !resumed) {
          await res.cancel();
          throw new BerthError('image/registry-error', `registry ${ref.registry}: ${what}: unexpected partial content`);
        }
        const chunks: AsyncIterable<Uint8Array> = resumed ? concat(createReadStream(partial, { highWaterMark: 1 << 20 }), res.body) : res.body;
        const total = layer.size >= 0 ? layer.size : Number(res.headers.get('content-length') ?? 0);
        emit({ type: 'layer-start', ref: name, digest: layer.digest, total, ...(resumed ? { resumedFrom: have } : {}) });
        let last = 0;
        try {
          await storeLayer(
            s,
            layer,
            diffId,
            { chunks },
            {
              what,
              signal,
              partialPath: partial,
              onBytes: (current) => {
                if (current - last >= 256 * 1024 || current === total) {
                  last = current;
                  emit({ type: 'layer-progress', ref: name, digest: layer.digest, current, total });
                }
              },
            },
          );
        } catch (err) {
          await res.cancel();
          throw err;
        }
      };
      try {
        try {
          await attempt(true);
        } catch (err) {
          // bytes kept from an earlier interruption that do not add up: start over once
          if (!(err instanceof BerthError && err.code === 'image/digest-mismatch') || signal.aborted) throw err;
          const partial = partialPath(s, layer.digest);
          if (
            !(await stat(partial).then(
              () => true,
              () => false,
            ))
          )
            throw err;
          await rm(partial, { force: true });
          await attempt(false);
        }
      } catch (err) {
        internal.abort(err);
        throw err;
      }
      emit({ type: 'layer-verified', ref: name, digest: layer.digest });
      emit({ type: 'layer-unpacked', ref: name, digest: layer.digest });
    });

    await writeBlob(s, cfgData, cfgDigest);
    const manifestDigest = await writeBlob(s, r.manifest.body);
    if (r.index) await writeBlob(s, r.index.body);
    let size = 0;
    for (const d of diffIds) size += Number(await readFile(join(layerRoot(s, d), 'size'), 'utf8').catch(() => '0'));
    await withStoreLock(s, async () => {
      const prev = await readImageRecord(s, cfgDigest);
      const repoDigests = new Set(prev?.repoDigests ?? []);
      repoDigests.add(digestedName(ref, r.repoDigest));
      await writeImageRecord(s, {
        id: cfgDigest,
        manifest: manifestDigest,
        layers: m.layers,
        diffIds,
        platform: platformOf(cfg),
        created: cfg.created,
        repoDigests: [...repoDigests].sort(),
        size,
      });
      const key = taggedName(ref);
      if (key) {
        const tags = readTags(s);
        tags[key] = cfgDigest;
        writeTags(s, tags);
      }
    });
    trace(`pull: ${name}: recorded`);
    emit({ type: 'done', ref: name, id: cfgDigest, status: complete ? 'up-to-date' : 'pulled' });
    const rec = await readImageRecord(s, cfgDigest);
    return toLocalImage(s, rec!, ref);
  } finally {
    if (!internal.signal.aborted) internal.abort();
  }
}

async function* concat(...parts: AsyncIterable<Uint8Array>[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield* p;
}

export type { Digest };
