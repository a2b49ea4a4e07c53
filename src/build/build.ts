// buildImage: Dockerfile -> image in berth's store. Stages are built in order (only those the
// target needs); each instruction extends a cache key chain (FROM image id -> instruction
// text after substitution -> ...); layer steps (RUN, COPY, ADD, WORKDIR creating a dir) reuse
// the cached layer for the same key. Errors name `Dockerfile:LINE: INSTRUCTION`.
import { BerthError, SpecError, isBerthError } from '../errors.js';
import { withLease, resolveLocalImage, hostPlatform, layerDiffDir, tagImage, LayerOps } from '../image/index.js';
import type { BuiltLayer, LocalImage } from '../image/index.js';
import { cacheKey } from './cache.js';
import { applyConfig, envValue } from './config-step.js';
import { copyArgs, runArgs } from './instructions.js';
import { contextFs, hashSources, layeredSource, type SourceFs } from './context.js';
import type { CopyPlan } from './copy-step.js';
import type { BuildNetwork } from './run-network.js';
import type { BuildDeps } from './deps.js';
import { LayeredFs } from './layered-fs.js';
import { parseDockerfile, type Dockerfile, type RawInstruction, type RawStage } from './parse.js';
import { AUTO_ARGS, neededStages, parseArgDecls, PROXY_ARGS, stageRef } from './stages.js';
import { baseState, resolveBaseImage, type StageState } from './base-image.js';
import type { BuildEvent, BuildRequest, BuildResult } from './types.js';
import { processWord, SubstitutionError, type Lookup } from './words.js';
import { resolveUser } from '../runtime/index.js';
const { readFile } = process.getBuiltinModule('node:fs/promises');
const { isAbsolute, join, posix, relative } = process.getBuiltinModule('node:path');

async function readDockerfile(req: BuildRequest): Promise<{ text: string; name: string }> {
  if (req.dockerfileInline !== undefined) return { text: req.dockerfileInline, name: 'Dockerfile (inline)' };
  const given = req.dockerfile ?? 'Dockerfile';
  const abs = isAbsolute(given) ? given : join(req.context, given);
  try {
    const rel = relative(req.context, abs);
    return { text: await readFile(abs, 'utf8'), name: rel.startsWith('..') ? abs : rel };
  } catch (err) {
    throw new BerthError('build/no-dockerfile', `cannot read the Dockerfile ${abs}`, { hint: 'check build.dockerfile (relative to the build context) or pass -f', cause: err });
  }
}

export async function buildImage(deps: BuildDeps, req: BuildRequest): Promise<BuildResult> {
  const { text, name } = await readDockerfile(req);
  const df = parseDockerfile(text, name);
  return withLease(deps.store, () => new Builder(deps, req, df).run());
}

class Builder {
  private readonly emit: (e: BuildEvent) => void;
  private readonly provided = new Map<string, string>();
  private readonly used = new Set<string>();
  private readonly globals = new Map<string, string>();
  private readonly stages = new Map<number, StageState>();
  private readonly images = new Map<string, LocalImage>();
  private readonly counts = { run: 0, cached: 0 };
  private step = 0;
  private pulls = 0;
  private total = 0;
  private context: SourceFs | undefined;
  private network: BuildNetwork | undefined;
  private readonly ops = new LayerOps();

  private readonly deps: BuildDeps;
  private readonly req: BuildRequest;
  private readonly df: Dockerfile;

  constructor(deps: BuildDeps, req: BuildRequest, df: Dockerfile) {
    this.deps = deps;
    this.req = req;
    this.df = df;
    this.emit = req.onEvent ?? (() => undefined);
    for (const [k, v] of Object.entries(req.buildArgs ?? {})) {
      const value = v ?? req.env?.[k];
      if (value !== undefined) this.provided.set(k, value);
    }
  }

  private fail(inst: RawInstruction, err: unknown): never {
    if (err instanceof SpecError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    const code = isBerthError(err) ? err.code : 'build/dockerfile';
    throw new SpecError(code, message, {
      position: { file: this.df.file, line: inst.line },
      path: inst.keyword,
      ...(isBerthError(err) && err.hint ? { hint: err.hint } : {}),
      cause: err,
    });
  }

  async run(): Promise<BuildResult> {
    try {
      const globalLookup: Lookup = (n) => this.globals.get(n);
      for (const inst of this.df.globalArgs) {
        try {
          for (const d of parseArgDecls(inst, globalLookup, this.df.escape)) {
            if (this.provided.has(d.name)) this.used.add(d.name);
            const v = this.provided.get(d.name) ?? d.value ?? AUTO_ARGS()[d.name];
            if (v !== undefined) this.globals.set(d.name, v);
          }
        } catch (err) {
          this.fail(inst, err);
        }
      }
      const target = this.targetStage();
      const needed = neededStages(this.df, target.index, globalLookup);
      this.total = needed.reduce((n, i) => n + 1 + this.df.stages[i]!.instructions.length, 0);
      for (const i of needed) {
        this.req.signal?.throwIfAborted();
        this.stages.set(i, await this.buildStage(this.df.stages[i]!));
      }
      const unused = [...this.provided.keys()].filter((k) => !this.used.has(k) && !PROXY_ARGS.has(k)).sort();
      if (unused.length) this.emit({ type: 'warning', message: `build args were not consumed by the Dockerfile: ${unused.join(', ')}` });
      const result = await this.finish(this.stages.get(target.index)!);
      await this.network?.remove();
      return result;
    } finally {
      this.ops.close();
      // a failed build: its error wins over one of the removal (a crashed build's network is
      // removed by the next build network's sweep)
      await this.network?.remove().catch(() => undefined);
    }
  }

  private targetStage(): RawStage {
    const { stages } = this.df;
    if (this.req.target === undefined) return stages[stages.length - 1]!;
    const t = stages.find((s) => s.name === this.req.target!.toLowerCase());
    if (!t) {
      const names = stages.map((s) => s.name).filter((n): n is string => n !== undefined);
      throw new BerthError('build/unknown-target', `target stage "${this.req.target}" could not be found in ${this.df.file}`, {
        hint: names.length ? `stages: ${names.join(', ')}` : 'the Dockerfile names no stages (FROM image AS name)',
      });
    }
    return t;
  }

  private async image(ref: string): Promise<LocalImage> {
    const known = this.images.get(ref);
    if (known) return known;
    const img = await resolveBaseImage(this.deps, ref, {
      pull: this.req.pull === true,
      ...(this.req.signal ? { signal: this.req.signal } : {}),
      onPull: () => {
        this.pulls++;
        this.emit({ type: 'pull', image: ref });
      },
    });
    this.images.set(ref, img);
    return img;
  }

  private async fromImage(img: LocalImage): Promise<Omit<StageState, 'label' | 'args' | 'ran'>> {
    if (img.config.OnBuild?.length) this.emit({ type: 'warning', message: `the base image's ONBUILD triggers are not run by berth: ${img.config.OnBuild.join('; ')}` });
    return baseState(this.deps.store, img);
  }

  private async buildStage(stage: RawStage): Promise<StageState> {
    const label = stage.name ?? `stage-${stage.index}`;
    const from = stage.from;
    let st: StageState;
    try {
      const ref = processWord(from.args.trim().split(/\s+/)[0]!, (n) => this.globals.get(n), this.df.escape);
      if (ref === '') throw new SubstitutionError('FROM names an empty image (an ARG without a value?)');
      const parentIndex = stageRef(this.df, ref, stage.index, false);
      const announce = (cached: boolean): void => this.emit({ type: 'step', step: ++this.step, total: this.total, stage: label, text: from.text, cached });
      if (parentIndex !== undefined) {
        const p = this.stages.get(parentIndex)!;
        announce(true);
        st = { ...structuredClone({ layers: p.layers, cfg: p.cfg, history: p.history, platform: p.platform }), key: p.key, label, args: new Map(), ran: p.ran };
      } else if (ref === 'scratch') {
        announce(true);
        st = { label, layers: [], cfg: { config: {}, cmdSet: false }, history: [], platform: hostPlatform(), key: cacheKey('from', 'scratch'), args: new Map(), ran: false };
      } else {
        const pulls = this.pulls;
        const img = await this.image(ref);
        announce(this.pulls === pulls);
        st = { ...(await this.fromImage(img)), label, args: new Map(), ran: false };
      }
      const platform = from.flags.find(([k]) => k === 'platform')?.[1];
      if (platform && !platform.includes('$') && !platform.startsWith(`${st.platform.os}/${st.platform.architecture}`)) {
        this.emit({ type: 'warning', message: `${this.df.file}:${from.line}: FROM --platform=${platform}: berth builds for the host platform only (${st.platform.os}/${st.platform.architecture})` });
      }
    } catch (err) {
      this.fail(from, err);
    }
    for (const inst of stage.instructions) {
      this.req.signal?.throwIfAborted();
      try {
        await this.instruction(st, inst);
      } catch (err) {
        if (this.req.signal?.aborted) throw err;
        this.fail(inst, err);
      }
    }
    return st;
  }

  private lookup(st: StageState): Lookup {
    return (n) => envValue(st.cfg.config.Env, n) ?? st.args.get(n);
  }

  private layerDirs(st: StageState): string[] {
    return st.layers.map((l) => layerDiffDir(this.deps.store, l.diffId)).reverse();
  }

  private announce(st: StageState, inst: RawInstruction, cached: boolean): number {
    this.emit({ type: 'step', step: ++this.step, total: this.total, stage: st.label, text: inst.text, cached });
    return this.step;
  }

  private history(st: StageState, createdBy: string, created: string, emptyLayer: boolean): void {
    st.history.push({ created, created_by: createdBy, comment: 'berth build', ...(emptyLayer ? { empty_layer: true } : {}) });
  }

  /** A layer step: the cached layer for `key`, or `make()` (then cached). */
  private async layerStep(st: StageState, inst: RawInstruction, key: string, createdBy: string, make: (step: number) => Promise<BuiltLayer>): Promise<void> {
    const hit = this.req.noCache ? undefined : await this.deps.cache.layer(key);
    const step = this.announce(st, inst, hit !== undefined);
    let layer: BuiltLayer;
    let created: string;
    if (hit) {
      this.counts.cached++;
      layer = hit.layer;
      created = hit.created;
    } else {
      this.counts.run++;
      st.ran = true;
      layer = await make(step);
      created = new Date().toISOString();
      await this.deps.cache.putLayer(key, { layer, created });
    }
    st.layers.push(layer);
    st.key = key;
    this.history(st, createdBy, created, false);
  }

  private async instruction(st: StageState, inst: RawInstruction): Promise<void> {
    const esc = this.df.escape;
    const env = this.lookup(st);
    const cfg = st.cfg.config;
    switch (inst.keyword) {
      case 'ARG': {
        const decls = parseArgDecls(inst, env, esc);
        for (const d of decls) {
          if (this.provided.has(d.name)) this.used.add(d.name);
          const v = this.provided.get(d.name) ?? d.value ?? this.globals.get(d.name) ?? AUTO_ARGS()[d.name];
          if (v !== undefined) st.args.set(d.name, v);
        }
        // not in the key chain: a value counts where it is used (RUN's environment, or the
        // substituted text of a later instruction), so a changed ARG misses the cache there
        this.announce(st, inst, !st.ran);
        return;
      }
      case 'WORKDIR': {
        const raw = processWord(inst.args.trim(), env, esc);
        const dir = posix.normalize(posix.isAbsolute(raw) ? raw : posix.join(cfg.WorkingDir || '/', raw));
        cfg.WorkingDir = dir;
        const lowers = new LayeredFs(this.layerDirs(st), this.ops);
        if (st.layers.length > 0 && !(await lowers.lstat(await lowers.resolve(dir)))) {
          const owner = cfg.User ? resolveUser(this.layerDirs(st), cfg.User) : undefined;
          const key = cacheKey(st.key, 'WORKDIR', dir, owner ?? null);
          const { mkdirLayer } = await import('./copy-step.js');
          await this.layerStep(st, inst, key, `WORKDIR ${dir}`, () => mkdirLayer(this.deps.store, lowers, dir, owner, `${this.df.file}:${inst.line} WORKDIR`));
          return;
        }
        this.announce(st, inst, !st.ran);
        st.key = cacheKey(st.key, 'WORKDIR', dir);
        this.history(st, `WORKDIR ${dir}`, new Date().toISOString(), true);
        return;
      }
      case 'RUN':
        return this.runStep(st, inst);
      case 'COPY':
      case 'ADD':
        return this.copyStep(st, inst);
      default: {
        const done = applyConfig(st.cfg, inst, env, esc);
        this.announce(st, inst, !st.ran);
        st.key = cacheKey(st.key, done);
        this.history(st, done, new Date().toISOString(), true);
      }
    }
  }

  private async runStep(st: StageState, inst: RawInstruction): Promise<void> {
    const cfg = st.cfg.config;
    const { args, network: asked, ignoredMounts } = runArgs(inst, cfg);
    const network = asked ?? this.req.network ?? 'default';
    if (network === 'host' && !this.req.allow?.includes('network.host')) {
      throw new BerthError('build/entitlement', `RUN on the host network${asked ? '' : " (the build's network is host)"} needs the network.host entitlement`, {
        hint: 'grant it with `berth build --allow network.host` (compose: build.entitlements: [network.host]), or let RUN use the build network',
      });
    }
    for (const m of ignoredMounts) this.emit({ type: 'warning', message: `${this.df.file}:${inst.line}: RUN --mount=${m} is ignored (no cache/tmpfs mounts in berth's builder)` });
    const argEnv = [...st.args]
      .filter(([k]) => envValue(cfg.Env, k) === undefined)
      .map(([k, v]) => `${k}=${v}`)
      .sort();
    const key = cacheKey(st.key, 'RUN', args, argEnv, network, cfg.WorkingDir ?? '/', cfg.User ?? '');
    await this.layerStep(st, inst, key, `RUN ${args.join(' ')} # berth`, async (step) =>
      (await import('./run-step.js')).runLayer(this.deps.rt, this.deps.store, {
        layerDirs: this.layerDirs(st),
        args,
        env: [...(cfg.Env ?? []), ...argEnv],
        cwd: cfg.WorkingDir || '/',
        user: cfg.User,
        network,
        ...(network === 'default' ? { buildNetwork: await this.buildNetwork() } : {}),
        what: `${this.df.file}:${inst.line} RUN`,
        ...(this.req.signal ? { signal: this.req.signal } : {}),
        onOutput: (stream, text) => this.emit({ type: 'output', step, stream, text }),
      }),
    );
  }

  /** The build network of RUN steps (made at the first RUN, removed when the build ends). */
  private async buildNetwork(): Promise<BuildNetwork> {
    if (!this.network) {
      const { BuildNetwork } = await import('./run-network.js');
      this.network = new BuildNetwork(this.deps.rt.root);
    }
    return this.network;
  }

  private async sourceFs(from: string | undefined): Promise<{ fs: SourceFs; key: string }> {
    if (from === undefined) {
      this.context ??= await contextFs(this.req.context, this.req.dockerfileInline !== undefined ? undefined : (this.req.dockerfile ?? 'Dockerfile'));
      return { fs: this.context, key: 'context' };
    }
    const index = stageRef(this.df, from, this.df.stages.length, true);
    if (index !== undefined) {
      const st = this.stages.get(index);
      if (!st) throw new BerthError('build/stage-order', `--from=${from} names a stage that is not built before this one`);
      return { fs: layeredSource(`stage ${from}`, new LayeredFs(this.layerDirs(st), this.ops)), key: st.key };
    }
    const img = await this.image(from);
    return { fs: layeredSource(`image ${from}`, new LayeredFs([...img.layerDirs], this.ops)), key: img.id };
  }

  private async copyStep(st: StageState, inst: RawInstruction): Promise<void> {
    const a = copyArgs(inst, this.lookup(st), this.df.escape, st.cfg.config.WorkingDir);
    const layerDirs = this.layerDirs(st);
    const owner = a.chown ? resolveUser(layerDirs, a.chown) : undefined;
    const { fs, key: fromKey } = await this.sourceFs(a.from);
    const { copyLayer, resolveSources } = await import('./copy-step.js');
    const entries = a.sources.length ? await resolveSources(fs, a.sources) : [];
    const hash = await hashSources(fs, entries);
    const key = cacheKey(st.key, inst.keyword, fromKey, a.sources, a.dest, owner ?? null, a.chmod?.text ?? null, hash, a.inline);
    const plan: CopyPlan = { fs, sources: a.sources, inline: a.inline, dest: a.dest, owner, chmod: a.chmod?.mode, add: a.add, what: `${this.df.file}:${inst.line} ${inst.keyword}` };
    const createdBy = `${inst.keyword} ${a.from ? `--from=${a.from} ` : ''}${a.sources.join(' ')} ${a.dest} # berth`;
    await this.layerStep(st, inst, key, createdBy, () => copyLayer(this.deps.store, new LayeredFs(layerDirs, this.ops), plan, entries));
  }

  private async finish(st: StageState): Promise<BuildResult> {
    const { store } = this.deps;
    const config = { ...st.cfg.config, ...(this.req.labels && Object.keys(this.req.labels).length ? { Labels: { ...(st.cfg.config.Labels ?? {}), ...this.req.labels } } : {}) };
    const finalKey = cacheKey(st.key, 'image', config, st.cfg.author ?? null, st.platform);
    const tags = [...this.req.tags];
    let id = this.req.noCache ? undefined : await this.deps.cache.image(finalKey);
    const cached = id !== undefined && this.counts.run === 0;
    if (id === undefined) {
      const { writeImage } = await import('../image/index.js');
      const img = await writeImage(store, {
        layers: st.layers,
        config,
        platform: st.platform,
        history: st.history,
        ...(st.cfg.author ? { author: st.cfg.author } : {}),
        ...(tags[0] ? { ref: tags[0] } : {}),
      });
      id = img.id;
      await this.deps.cache.putImage(finalKey, id);
      for (const t of tags.slice(1)) await tagImage(store, id, t);
    } else for (const t of tags) await tagImage(store, id, t);
    const image = await resolveLocalImage(store, tags[0] ?? id);
    this.emit({ type: 'done', id, tags, cached });
    return { image, cached, steps: { ...this.counts } };
  }
}
