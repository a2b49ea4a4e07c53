// pushImage: a local image to the registry its name points at (blobs the registry lacks,
// uploaded monolithically; then the manifest under the tag).
import { BerthError } from '../errors.js';
import { checkDigest } from './digest.js';
import { findLocalImage } from './list.js';
import { parseManifest } from './manifest.js';
import { parseReference, digestedName } from './reference.js';
import { loadRegistryConfig } from './registry/config.js';
import { endpointsFor } from './registry/endpoints.js';
import { clientFor } from './registry/resolve.js';
import type { RegistryClient } from './registry/client.js';
import { blobPath, readBlob, readImageRecord, withStoreLock, writeImageRecord, type ImageStore } from './store.js';
import type { Digest, PushOptions } from './types.js';
import { notInLocalStore } from './errors.js';
const { createReadStream } = process.getBuiltinModule('node:fs');
const { stat } = process.getBuiltinModule('node:fs/promises');
const { Readable } = process.getBuiltinModule('node:stream');

export async function pushImage(s: ImageStore, refString: string, o: PushOptions = {}): Promise<{ digest: Digest; size: number }> {
  const ref = parseReference(refString);
  const found = await findLocalImage(s, refString);
  if (!found) throw notInLocalStore(ref.familiar, `tag an image first: berth image tag IMAGE ${ref.familiar}`);
  const rec = found.record;
  if (!rec.manifest) throw new BerthError('image/no-manifest', `image ${ref.familiar} has no manifest to push`);
  const config = o.registryConfig ?? loadRegistryConfig();
  const emit = o.onProgress ?? (() => undefined);
  const endpoint = endpointsFor(config, ref.registry, true)[0]!;
  const client = clientFor(config, ref, endpoint, 'pull,push', o.signal);
  const manifestBody = await readBlob(s, rec.manifest);
  const parsed = parseManifest(`manifest of ${ref.familiar}`, manifestBody, null);
  if (parsed.kind !== 'manifest') throw new BerthError('image/invalid-manifest', `image ${ref.familiar}: stored manifest is an index`);
  emit({ type: 'resolved', ref: ref.familiar, digest: rec.manifest, layers: parsed.layers.length });
  for (const d of [...parsed.layers, parsed.config]) {
    await pushBlob(client, s, d.digest);
    emit({ type: 'layer-pushed', ref: ref.familiar, digest: d.digest });
  }
  const tag = ref.digest ?? ref.tag ?? 'latest';
  const res = await client.fetch(client.url(`manifests/${tag}`), { method: 'PUT', headers: { 'content-type': parsed.mediaType }, body: manifestBody });
  if (res.status !== 201 && res.status !== 200) await client.fail(res, `push manifest ${ref.familiar}`);
  await res.body?.cancel();
  const header = res.headers.get('docker-content-digest');
  if (header) checkDigest(`pushed manifest ${ref.familiar}`, rec.manifest, header as Digest);
  await withStoreLock(s, async () => {
    const cur = await readImageRecord(s, rec.id);
    if (!cur) return;
    const repoDigests = [...new Set([...cur.repoDigests, digestedName(ref, rec.manifest!)])].sort();
    await writeImageRecord(s, { ...cur, repoDigests });
  });
  emit({ type: 'done', ref: ref.familiar, id: rec.id, status: 'pushed' });
  return { digest: rec.manifest, size: manifestBody.length };
}

async function pushBlob(client: RegistryClient, s: ImageStore, digest: Digest): Promise<void> {
  const head = await client.fetch(client.url(`blobs/${digest}`), { method: 'HEAD' });
  await head.body?.cancel();
  if (head.ok) return;
  const start = await client.fetch(client.url('blobs/uploads/'), { method: 'POST', headers: { 'content-length': '0' } });
  await start.body?.cancel();
  if (start.status !== 202) await client.fail(start, `start upload of ${digest}`);
  const location = start.headers.get('location');
  if (!location) throw new BerthError('image/registry-error', `registry gave no upload location for ${digest}`);
  const url = new URL(location, client.o.endpoint);
  url.searchParams.set('digest', digest);
  const path = blobPath(s, digest);
  const size = (await stat(path)).size;
  const body = (): ReadableStream => Readable.toWeb(createReadStream(path, { highWaterMark: 1 << 20 })) as ReadableStream;
  const put = await client.fetch(url.toString(), { method: 'PUT', headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) }, body: body() }, body);
  await put.body?.cancel();
  if (put.status !== 201) await client.fail(put, `upload of ${digest}`);
}
