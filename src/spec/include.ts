/**
 * Stage "include": `include:` entries load other compose projects (own project directory,
 * own env files for defaults) and import their resources; a resource the including file
 * defines too is merged over the imported one.
 */
import { specError, type LoadContext } from './context.js';
import { readEnvFiles } from './find.js';
import type { Layer } from './layer.js';
import { mergeValue } from './merge.js';
import { isRecord, joinPath } from './path.js';
import { absPath } from './paths.js';
const { existsSync } = process.getBuiltinModule('node:fs');
const { dirname, join } = process.getBuiltinModule('node:path');

export type ModelLoader = (files: string[], workingDir: string, env: Record<string, string>, chain: string[]) => Record<string, unknown>;

const KINDS = ['services', 'networks', 'volumes', 'secrets', 'configs', 'models'] as const;

export function applyIncludes(ctx: LoadContext, layer: Layer, value: Record<string, unknown>, env: Record<string, string>, chain: string[], loadModel: ModelLoader): Record<string, unknown> {
  const includes = value.include;
  if (!Array.isArray(includes)) return value;
  const { include: _drop, ...rest } = value;
  const out: Record<string, unknown> = { ...rest };
  includes.forEach((entry, i) => {
    const path = joinPath('include', i);
    const spec = typeof entry === 'string' ? { path: entry } : (entry as { path?: string | string[]; project_directory?: string; env_file?: string | string[] });
    const paths = (Array.isArray(spec.path) ? spec.path : spec.path === undefined ? [] : [spec.path]).map((p) => absPath(layer.dir, p, ctx.home));
    if (paths.length === 0) throw specError(ctx, 'spec/include', 'include entry has no path', path, { file: layer.file });
    for (const p of paths) {
      if (chain.includes(p)) {
        throw specError(ctx, 'spec/include-cycle', `include cycle detected: ${[...chain, p].join(' -> ')}`, path, { file: layer.file });
      }
      if (!existsSync(p)) throw specError(ctx, 'spec/include', `included file ${p} not found`, path, { file: layer.file });
    }
    const projectDir = spec.project_directory !== undefined ? absPath(layer.dir, spec.project_directory, ctx.home) : dirname(paths[0]!);
    const envFiles =
      spec.env_file === undefined
        ? [{ path: join(projectDir, '.env'), required: false }]
        : (Array.isArray(spec.env_file) ? spec.env_file : [spec.env_file]).map((f) => ({ path: absPath(layer.dir, f, ctx.home), required: true }));
    const fromFiles = readEnvFiles(envFiles, { ...env });
    const subEnv = { ...fromFiles, ...env };
    const imported = loadModel(paths, projectDir, subEnv, chain);
    for (const kind of KINDS) {
      const theirs = imported[kind];
      if (!isRecord(theirs)) continue;
      const ours = isRecord(out[kind]) ? { ...(out[kind] as Record<string, unknown>) } : {};
      // a resource defined here too is merged over the imported one, with this file's
      // !reset/!override tags (compose-go >= 2.10 `importResource`; it was an error before)
      for (const [name, def] of Object.entries(theirs)) {
        ours[name] = name in ours ? mergeValue(def, ours[name], [kind, name], `${kind}.${name}`, layer.tags) : def;
      }
      out[kind] = ours;
    }
  });
  return out;
}
