// `docker save`: one tar holding both layouts docker 25+ writes: docker's manifest.json
// (RepoTags, Config, Layers) and an OCI image layout (oci-layout, index.json, blobs/).
// Streams blobs from the store; nothing is buffered beyond one chunk.
import { hexOf } from './digest.js';
import { resolveLocalImage } from './list.js';
import { MT } from './manifest.js';
import { familiarString, parseReference } from './reference.js';
import { blobPath, readImageRecord, type ImageStore } from './store.js';
import { padding, tarHeader, TAR_END } from './tar-writer.js';
import type { Digest } from './types.js';
const { createReadStream, createWriteStream } = process.getBuiltinModule('node:fs');
const { stat } = process.getBuiltinModule('node:fs/promises');
const { Readable } = process.getBuiltinModule('node:stream');
const { pipeline } = process.getBuiltinModule('node:stream/promises');

export async function saveArchive(s: ImageStore, refs: readonly string[], file: string): Promise<void> {
  const blobs = new Set<Digest>();
  const dockerManifest: { Config: string; RepoTags: string[]; Layers: string[] }[] = [];
  const index: { mediaType: string; digest: Digest; size: number; annotations?: Record<string, string> }[] = [];
  for (const name of refs) {
    const img = await resolveLocalImage(s, name);
    const rec = (await readImageRecord(s, img.id))!;
    const tags = img.reference?.tag ? [img.reference.canonical] : img.reference ? [] : [...img.repoTags];
    blobs.add(rec.id);
    for (const l of rec.layers) blobs.add(l.digest);
    if (rec.manifest) blobs.add(rec.manifest);
    dockerManifest.push({ Config: `blobs/sha256/${hexOf(rec.id)}`, RepoTags: tags.map(familiarString), Layers: rec.layers.map((l) => `blobs/sha256/${hexOf(l.digest)}`) });
    if (rec.manifest) {
      const size = (await stat(blobPath(s, rec.manifest))).size;
      if (tags.length === 0) index.push({ mediaType: MT.ociManifest, digest: rec.manifest, size });
      for (const t of tags) {
        const ref = parseReference(t);
        index.push({ mediaType: MT.ociManifest, digest: rec.manifest, size, annotations: { 'io.containerd.image.name': ref.canonical, 'org.opencontainers.image.ref.name': ref.tag ?? 'latest' } });
      }
    }
  }
  async function* tar(): AsyncGenerator<Buffer> {
    const mtime = Math.floor(Date.now() / 1000);
    yield tarHeader({ name: 'blobs/', type: 'directory', mode: 0o755, mtime });
    yield tarHeader({ name: 'blobs/sha256/', type: 'directory', mode: 0o755, mtime });
    for (const d of [...blobs].sort()) {
      const p = blobPath(s, d);
      const size = (await stat(p)).size;
      yield tarHeader({ name: `blobs/sha256/${hexOf(d)}`, type: 'file', mode: 0o644, size, mtime });
      for await (const chunk of createReadStream(p, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
      yield padding(size);
    }
    const small = (name: string, data: string): Buffer[] => {
      const b = Buffer.from(data);
      return [tarHeader({ name, type: 'file', mode: 0o644, size: b.length, mtime }), b, padding(b.length)];
    };
    yield* small('oci-layout', JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    yield* small('index.json', JSON.stringify({ schemaVersion: 2, mediaType: MT.ociIndex, manifests: index }));
    yield* small('manifest.json', JSON.stringify(dockerManifest));
    yield TAR_END;
  }
  await pipeline(Readable.from(tar()), createWriteStream(file));
}
