// `docker load`: docker-save archives (manifest.json) and OCI archives (index.json +
// blobs/), optionally compressed. The archive is first spooled file by file into a private
// temp dir (only plain files with safe names; everything else refused), then every blob is
// verified and its layers unpacked through the same path as a pull.
import { BerthError, errnoCode } from '../errors.js';
import { decompress, detectCompression } from './compression.js';
import { checkDigest, sha256Of } from './digest.js';
import { storeLayer } from './fetch-layer.js';
import { withLease } from './gc.js';
import { parseConfigBlob, platformOf } from './image-config.js';
import { registerImage, type BuiltLayer } from './image-builder.js';
import { MT, hostPlatform, parseManifest, selectPlatform } from './manifest.js';
import { readTar } from './tar-reader.js';
import { tmpName, type ImageStore } from './store.js';
import type { Digest, LocalImage } from './types.js';
import { components } from '../util/safe-path/index.js';
const { createReadStream } = process.getBuiltinModule('node:fs');
const { mkdir, open, readFile, rm } = process.getBuiltinModule('node:fs/promises');
const { createHash } = process.getBuiltinModule('node:crypto');
const { join } = process.getBuiltinModule('node:path');

interface ImageToLoad {
  readonly config: string;
  readonly layers: readonly string[];
  readonly tags: readonly string[];
  readonly manifest?: Buffer;
}

export async function loadArchive(s: ImageStore, file: string, o: { signal?: AbortSignal } = {}): Promise<LocalImage[]> {
  const dir = tmpName(s, 'load');
  const what = `archive ${file}`;
  return withLease(s, async () => {
    try {
      await mkdir(dir);
      await spool(file, dir, what, o.signal);
      const images = await describeArchive(dir, what);
      const out: LocalImage[] = [];
      for (const img of images) out.push(await loadOne(s, dir, img, what, o.signal));
      return out;
    } catch (err) {
      if (errnoCode(err) === 'ENOENT' && (err as { path?: string }).path === file) throw new BerthError('image/not-found', `load: no such file ${file}`, { cause: err });
      throw err;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}

/** An archive member's name as path components: absolute names and `..` refused. */
function memberParts(what: string, name: string): string[] {
  const parts = components(name);
  if (name.startsWith('/') || parts.includes('..')) {
    throw new BerthError('image/unsafe-layer', `${what}: archive entry "${name}" leaves the archive; refused`, { details: { entry: name } });
  }
  return parts;
}

async function spool(file: string, dir: string, what: string, signal?: AbortSignal): Promise<void> {
  const made = new Set<string>();
  for await (const e of readTar(decompress(createReadStream(file, { highWaterMark: 1 << 20 })))) {
    signal?.throwIfAborted();
    const parts = memberParts(what, e.name);
    if (e.type === 'directory' || parts.length === 0) continue;
    if (e.type === 'symlink' || e.type === 'hardlink') continue; // legacy docker-save dedup links: not needed
    if (e.type !== 'file') throw new BerthError('image/invalid-archive', `${what}: unexpected ${e.type} entry "${e.name}"`);
    if (!parts.every((p) => /^[A-Za-z0-9._:-]+$/.test(p))) throw new BerthError('image/invalid-archive', `${what}: unexpected entry name "${e.name}"`);
    const parent = join(dir, ...parts.slice(0, -1));
    if (!made.has(parent)) {
      await mkdir(parent, { recursive: true });
      made.add(parent);
    }
    const fh = await open(join(dir, ...parts), 'wx');
    try {
      for await (const chunk of e.body()) {
        let off = 0;
        while (off < chunk.length) off += (await fh.write(chunk, off, chunk.length - off)).bytesWritten;
      }
    } finally {
      await fh.close();
    }
  }
}

async function readJson(dir: string, name: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(join(dir, name), 'utf8'));
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw new BerthError('image/invalid-archive', `archive ${name} is not valid JSON`, { cause: err });
  }
}

async function describeArchive(dir: string, what: string): Promise<ImageToLoad[]> {
  const docker = await readJson(dir, 'manifest.json');
  if (Array.isArray(docker)) {
    return docker.map((m: { Config?: unknown; Layers?: unknown; RepoTags?: unknown }, i) => {
      if (typeof m.Config !== 'string' || !Array.isArray(m.Layers)) throw new BerthError('image/invalid-archive', `${what}: manifest.json[${i}] lacks Config or Layers`);
      return { config: m.Config, layers: m.Layers.map(String), tags: Array.isArray(m.RepoTags) ? m.RepoTags.map(String) : [] };
    });
  }
  const index = await readJson(dir, 'index.json');
  if (!index) throw new BerthError('image/invalid-archive', `${what}: neither manifest.json nor index.json found`, { hint: 'expected a `docker save` or OCI image archive' });
  const blob = (d: Digest): string => `blobs/sha256/${d.slice(7)}`;
  const out: ImageToLoad[] = [];
  const visit = async (body: Buffer, tags: string[], depth: number): Promise<void> => {
    const parsed = parseManifest(`${what}: manifest`, body, null);
    if (parsed.kind === 'manifest') {
      out.push({ config: blob(parsed.config.digest), layers: parsed.layers.map((l) => blob(l.digest)), tags, manifest: body });
      return;
    }
    if (depth > 2) throw new BerthError('image/invalid-archive', `${what}: indexes nested too deeply`);
    const entries = depth === 0 ? parsed.manifests : [selectPlatform(what, parsed.manifests, hostPlatform())];
    for (const e of entries) {
      const data = await readFile(join(dir, blob(e.digest)));
      checkDigest(`${what}: ${blob(e.digest)}`, e.digest, sha256Of(data));
      await visit(data, depth === 0 ? namesOf(index, e.digest) : tags, depth + 1);
    }
  };
  await visit(Buffer.from(JSON.stringify(index)), [], 0);
  return out;
}

function namesOf(index: unknown, digest: Digest): string[] {
  const list = (index as { manifests?: { digest?: string; annotations?: Record<string, string> }[] }).manifests ?? [];
  const names: string[] = [];
  for (const m of list) {
    if (m.digest !== digest) continue;
    const full = m.annotations?.['io.containerd.image.name'];
    const ref = m.annotations?.['org.opencontainers.image.ref.name'];
    if (full) names.push(full);
    else if (ref && /[/:]/.test(ref)) names.push(ref);
  }
  return names;
}

async function loadOne(s: ImageStore, dir: string, img: ImageToLoad, what: string, signal?: AbortSignal): Promise<LocalImage> {
  const cfgPath = join(dir, ...memberParts(what, img.config));
  const configData = await readFile(cfgPath);
  const m = /([a-f0-9]{64})(?:\.json)?$/.exec(img.config);
  if (m) checkDigest(`${what}: config ${img.config}`, `sha256:${m[1]}` as Digest, sha256Of(configData));
  const cfg = parseConfigBlob(`${what}: config`, configData);
  if (cfg.rootfs.diff_ids.length !== img.layers.length) {
    throw new BerthError('image/invalid-archive', `${what}: config lists ${cfg.rootfs.diff_ids.length} layers, manifest ${img.layers.length}`);
  }
  const layers: BuiltLayer[] = [];
  for (const [i, name] of img.layers.entries()) {
    const path = join(dir, ...memberParts(what, name));
    const h = createHash('sha256');
    let head: Buffer | undefined;
    let bytes = 0;
    for await (const c of createReadStream(path, { highWaterMark: 1 << 20 })) {
      head ??= c as Buffer;
      h.update(c as Buffer);
      bytes += (c as Buffer).length;
    }
    const digest = `sha256:${h.digest('hex')}` as Digest;
    const named = /blobs\/sha256\/([a-f0-9]{64})$/.exec(name);
    if (named) checkDigest(`${what}: ${name}`, `sha256:${named[1]}` as Digest, digest);
    const comp = detectCompression(head ?? Buffer.alloc(0));
    const desc = { mediaType: comp === 'gzip' ? MT.ociLayerGzip : comp === 'zstd' ? MT.ociLayerZstd : MT.ociLayer, digest, size: bytes };
    const diffId = cfg.rootfs.diff_ids[i]!;
    await storeLayer(s, desc, diffId, { chunks: createReadStream(path, { highWaterMark: 1 << 20 }) }, { what: `${what} layer ${name}`, ...(signal ? { signal } : {}) });
    layers.push({ desc, diffId });
  }
  return registerImage(s, { configData, layers, platform: platformOf(cfg), created: cfg.created, refs: img.tags, ...(img.manifest ? { manifest: img.manifest } : {}) });
}
