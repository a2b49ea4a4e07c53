/**
 * The raw-model part of the pipeline: for each file read -> parse -> validate ->
 * interpolate -> extends -> include, then merge the files in order, enforce unique keys,
 * make paths absolute and validate the merged result.
 */
import { specError, type LoadContext } from './context.js';
import { applyExtends } from './extends.js';
import { applyIncludes } from './include.js';
import { readLayer } from './layer.js';
import { enforceUnicity, mergeDocuments } from './merge.js';
import { resolveModelPaths } from './paths.js';
import { validateModel } from './validate.js';
import { isRecord } from './path.js';

export function loadModel(ctx: LoadContext, files: string[], workingDir: string, env: Record<string, string>, chain: string[] = []): Record<string, unknown> {
  let merged: Record<string, unknown> | undefined;
  // a single file without extends/include was validated as written: values changed since
  // only by interpolation and casts, which the rules accept in either form (a value with a
  // `$`, taken at face value then, is checked now)
  let composite = files.length > 1;
  for (const file of files) {
    const layer = readLayer(ctx, file, env, workingDir);
    composite ||= layer.revalidate || usesExtendsOrInclude(layer.value);
    let value = applyExtends(ctx, layer, env, workingDir);
    value = applyIncludes(ctx, layer, value, env, [...chain, file], (f, dir, e, c) => loadModel(ctx, f, dir, e, c));
    merged = enforceUnicity(mergeDocuments(merged, value, layer.tags)) as Record<string, unknown>;
  }
  const model = resolveModelPaths(merged ?? {}, workingDir, ctx.home);
  const problem = composite ? validateModel(model) : undefined;
  if (problem) throw specError(ctx, 'spec/invalid', problem.message, problem.path, { at: problem.at });
  return model;
}

function usesExtendsOrInclude(value: Record<string, unknown>): boolean {
  if (value.include !== undefined) return true;
  const services = value.services;
  return isRecord(services) && Object.values(services).some((s) => isRecord(s) && s.extends !== undefined);
}
