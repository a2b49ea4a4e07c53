/**
 * `berth image ...`, login and logout (ImageService, src/api): the local image store under
 * $BERTH_ROOT/images and registries. Progress as events (image pull/push: image events;
 * builds: one info event per step line), results as plain data.
 */
import type { EngineEvent, EventSink, ImageService } from '../api/index.js';
import type { BuildEvent, RunNetwork } from '../build/index.js';
import type { ImageProgressEvent } from '../image/index.js';
import { UsageError } from '../errors.js';
import { berthRoot } from '../util/berth-dirs.js';
import { loadBuild, loadImage } from '../load.js';
import { parseKeyValues } from './parse.js';
const { join } = process.getBuiltinModule('node:path');

type Env = Readonly<Record<string, string | undefined>>;
type WithoutTime<T> = T extends unknown ? Omit<T, 'time'> : never;

const shortId = (d: string): string => d.replace(/^sha256:/, '').slice(0, 12);

function emitter(onEvent: EventSink | undefined): (e: WithoutTime<EngineEvent>) => void {
  return (e) => onEvent?.({ ...e, time: Date.now() } as EngineEvent);
}

/** Layer progress as image events (`Image busybox:1.36  Pulling (1.2MB/2.0MB)`), per layer state as detail. */
function progressEvents(image: string, verb: 'pulling' | 'pushing', onEvent: EventSink | undefined): (e: ImageProgressEvent) => void {
  const emit = emitter(onEvent);
  let total = 0;
  const done = new Map<string, number>();
  return (e) => {
    switch (e.type) {
      case 'resolved':
        emit({ kind: 'image', action: verb, image, detail: `${e.layers} layer${e.layers === 1 ? '' : 's'}, digest ${e.digest}` });
        return;
      case 'layer-start':
        total += e.total;
        return;
      case 'layer-progress':
        done.set(e.digest, e.current);
        emit({ kind: 'image', action: 'progress', image, current: [...done.values()].reduce((a, b) => a + b, 0), total });
        return;
      case 'layer-exists':
        emit({ kind: 'image', action: verb, image, detail: `${shortId(e.digest)}: already exists` });
        return;
      case 'layer-unpacked':
        emit({ kind: 'image', action: verb, image, detail: `${shortId(e.digest)}: pull complete` });
        return;
      case 'layer-pushed':
        emit({ kind: 'image', action: verb, image, detail: `${shortId(e.digest)}: pushed` });
        return;
      default:
        return;
    }
  };
}

/** A build step as docker prints it (`#3 [stage 3/7] RUN ...`). */
function buildLine(e: BuildEvent): string | undefined {
  switch (e.type) {
    case 'pull':
      return `pulling ${e.image}`;
    case 'step':
      return `#${e.step} [${e.stage} ${e.step}/${e.total}] ${e.text.split('\n')[0]}${e.cached ? '  CACHED' : ''}`;
    case 'output':
      return `#${e.step}   ${e.text}`;
    case 'warning':
      return undefined;
    case 'done':
      return `writing image ${e.id}${e.tags.length ? `, naming to ${e.tags.join(', ')}` : ''}${e.cached ? ' (cached)' : ''}`;
  }
}

/** `--network MODE`: the build's RUN network. */
function runNetwork(v: string | undefined): RunNetwork | undefined {
  if (v === undefined) return undefined;
  if (v === 'default' || v === 'host' || v === 'none') return v;
  throw new UsageError(`invalid --network "${v}": expected default, host or none`);
}

export function imageService(env: Env): ImageService {
  const I = async () => {
    const m = await loadImage();
    return { m, s: m.openImageStore(join(berthRoot(env), 'images')), registryConfig: m.loadRegistryConfig(env) };
  };
  return {
    async pull(ref, o) {
      const { m, s, registryConfig } = await I();
      const parsed = m.parseReference(ref);
      let status = 'pulled' as 'pulled' | 'up-to-date';
      const progress = progressEvents(parsed.familiar, 'pulling', o.onEvent);
      const img = await m.pullImage(s, ref, {
        registryConfig,
        ...(o.signal ? { signal: o.signal } : {}),
        ...(o.platform !== undefined ? { platform: m.parsePlatform(o.platform) } : {}),
        onProgress: (e) => {
          if (e.type === 'done') status = e.status === 'up-to-date' ? 'up-to-date' : 'pulled';
          progress(e);
        },
      });
      emitter(o.onEvent)({ kind: 'image', action: status === 'up-to-date' ? 'exists' : 'pulled', image: parsed.familiar, detail: `digest ${img.digest}` });
      return { digest: img.digest ?? img.id, status, familiar: parsed.familiar, canonical: parsed.canonical };
    },

    async push(ref, o) {
      const { m, s, registryConfig } = await I();
      const parsed = m.parseReference(ref);
      const r = await m.pushImage(s, ref, { registryConfig, ...(o.signal ? { signal: o.signal } : {}), onProgress: progressEvents(parsed.familiar, 'pushing', o.onEvent) });
      emitter(o.onEvent)({ kind: 'image', action: 'pushed', image: parsed.familiar, detail: `digest ${r.digest}` });
      return { digest: r.digest, size: r.size, repository: `${parsed.registry}/${parsed.repository}`, tag: parsed.tag ?? 'latest', canonical: parsed.canonical };
    },

    async build(o) {
      const { buildDeps, buildImage } = await loadBuild();
      const emit = emitter(o.onEvent);
      const network = runNetwork(o.network);
      const result = await buildImage(buildDeps(env), {
        context: o.context,
        ...(o.dockerfile ? { dockerfile: o.dockerfile } : {}),
        tags: o.tags,
        ...(o.target !== undefined ? { target: o.target } : {}),
        buildArgs: o.buildArgs,
        ...(o.allow ? { allow: o.allow } : {}),
        ...(network ? { network } : {}),
        env: o.env,
        labels: parseKeyValues('label', o.labels),
        noCache: o.noCache === true,
        pull: o.pull === true,
        ...(o.signal ? { signal: o.signal } : {}),
        onEvent: (e) => {
          if (e.type === 'warning') return emit({ kind: 'warning', message: e.message });
          const text = buildLine(e);
          if (text !== undefined) emit({ kind: 'info', message: text });
        },
      });
      return result.image.id;
    },

    async list(filter) {
      const { m, s } = await I();
      const rows = [];
      for (const img of await m.listImages(s)) {
        const names = img.repoTags.length ? img.repoTags.map(m.familiarString) : ['<none>:<none>'];
        for (const n of names) {
          const at = n.lastIndexOf(':');
          const repository = n.slice(0, at);
          if (filter && repository !== filter && n !== filter) continue;
          const digest = img.repoDigests.find((d) => m.familiarString(d).startsWith(`${repository}@`))?.split('@')[1] ?? '<none>';
          rows.push({ repository, tag: n.slice(at + 1), digest, id: img.id, created: img.created, size: img.size });
        }
      }
      return rows;
    },

    async inspect(ref) {
      const { m, s } = await I();
      const i = await m.inspectImage(s, ref);
      return {
        Id: i.id,
        RepoTags: i.repoTags.map(m.familiarString),
        RepoDigests: i.repoDigests.map(m.familiarString),
        Created: i.created,
        Architecture: i.platform.architecture,
        Os: i.platform.os,
        ...(i.platform.variant ? { Variant: i.platform.variant } : {}),
        Size: i.size,
        Config: i.config,
        RootFS: { Type: 'layers', Layers: i.diffIds },
        GraphDriver: { Name: 'overlay', Data: { LowerDirs: i.layerDirs } },
        ...(typeof i.raw.author === 'string' ? { Author: i.raw.author } : {}),
      };
    },

    async remove(ref, o) {
      const { m, s } = await I();
      return m.removeImage(s, ref, { force: o.force === true, noPrune: o.noPrune === true });
    },

    async prune(o) {
      const { m, s } = await I();
      const r = await m.pruneImages(s, { all: o.all === true });
      return { deleted: r.deletedImages, reclaimedBytes: r.reclaimedBytes };
    },

    async tag(source, target) {
      const { m, s } = await I();
      await m.tagImage(s, source, target);
    },

    async load(file, signal) {
      const { m, s } = await I();
      const images = await m.loadArchive(s, file, signal ? { signal } : {});
      return images.map((img) => ({ id: img.id, names: img.repoTags.map(m.familiarString) }));
    },

    async save(refs, file) {
      const { m, s } = await I();
      await m.saveArchive(s, refs, file);
    },

    async import(file, o) {
      const { m, s } = await I();
      const img = await m.importRootfs(s, file, {
        ...(o.ref ? { ref: o.ref } : {}),
        changes: m.parseChanges(o.changes ?? []),
        ...(o.message !== undefined ? { message: o.message } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
      });
      return img.id;
    },

    async login(server, user, password, signal) {
      const { m, registryConfig } = await I();
      await m.login(server, user, password, registryConfig, signal);
    },

    async logout(server) {
      const { m, registryConfig } = await I();
      return m.logout(server, registryConfig);
    },
  };
}
