/**
 * One compose file through the per-file stages: read, parse (with positions), validate
 * the raw shape, interpolate + cast. (`extends`/`include` are applied by `model.ts`.)
 */
import { SpecError } from '../errors.js';
import { specError, type LoadContext } from './context.js';
import { InterpolationError, interpolateTree } from './interpolate.js';
import { isRecord } from './path.js';
import { validateModel } from './validate.js';
import { parseYaml } from './yaml.js';
import { normalizeProjectName } from './find.js';
import { substitute } from './template.js';
import type { MergeTags } from './merge.js';
const { readFileSync } = process.getBuiltinModule('node:fs');
const { dirname } = process.getBuiltinModule('node:path');

export interface Layer {
  /** Absolute path, or '-' for stdin. */
  readonly file: string;
  /** Directory of the file (cwd for stdin). */
  readonly dir: string;
  readonly value: Record<string, unknown>;
  readonly tags: MergeTags;
  /** Some value was taken at face value before interpolation: check the result again. */
  readonly revalidate: boolean;
}

/**
 * `env` may be updated: a file's `name:` sets COMPOSE_PROJECT_NAME for what follows (as compose-go).
 * `validate: false` for a file read as an extends target: as compose-go, only the service
 * taken from it is checked, within the merged result (the rest may be anything).
 */
export function readLayer(ctx: LoadContext, file: string, env: Record<string, string>, cwd: string, options: { validate?: boolean } = {}): Layer {
  let text: string;
  if (file === '-') text = ctx.stdinText ?? '';
  else {
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new SpecError('spec/file-not-found', `cannot read compose file ${file}`, { position: { file }, cause: err });
    }
  }
  const parsed = parseYaml(text, file);
  ctx.parsed.push(parsed);
  const raw = parsed.value ?? {};
  if (!isRecord(raw)) {
    throw specError(ctx, 'spec/invalid', `top-level object must be a mapping, got ${Array.isArray(raw) ? 'a list' : JSON.stringify(raw)}`, '', { file });
  }
  let revalidate = false;
  // without interpolation (`config --no-interpolate`) a `${VAR}` stays as written: as compose, not checked
  const problem = options.validate === false ? undefined : validateModel(raw, { raw: true, onDeferred: () => (revalidate = ctx.interpolate) });
  if (problem) throw specError(ctx, 'spec/invalid', problem.message, problem.path, { file, at: problem.at });

  if (!ctx.explicitName && typeof raw.name === 'string' && ctx.interpolate) {
    try {
      const name = normalizeProjectName(substitute(raw.name, (k) => env[k]));
      if (name !== '') env.COMPOSE_PROJECT_NAME = name;
    } catch {
      // reported with its position by the interpolation below
    }
  }
  let value: unknown;
  try {
    value = interpolateTree(raw, {
      substitute: ctx.interpolate,
      lookup: (name) => env[name],
      onUnset: (name) => {
        if (ctx.warnedVars.has(name)) return;
        ctx.warnedVars.add(name);
        ctx.warn({ code: 'spec/unset-variable', message: `The "${name}" variable is not set. Defaulting to a blank string.`, file });
      },
    });
  } catch (err) {
    if (err instanceof InterpolationError) throw specError(ctx, 'spec/interpolation', err.message, err.path, { file });
    throw err;
  }
  if ('version' in raw) {
    ctx.warn({ code: 'spec/obsolete-version', message: `${file}: the attribute \`version\` is obsolete, it will be ignored, please remove it to avoid potential confusion`, file });
  }
  return { file, dir: file === '-' ? cwd : dirname(file), value: value as Record<string, unknown>, tags: { resets: parsed.resets, overrides: parsed.overrides }, revalidate };
}
