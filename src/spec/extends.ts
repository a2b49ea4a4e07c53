/**
 * Stage "extends": a service inherits from another service of the same file or of another
 * file (`extends: {file, service}`), recursively, with the merge rules of `merge.ts`.
 * Relative paths of a service from another file resolve against that file's directory.
 */
import { specError, type LoadContext } from './context.js';
import { readLayer, type Layer } from './layer.js';
import { mergeValue } from './merge.js';
import { isRecord } from './path.js';
import { absPath, resolveServicePaths } from './paths.js';
const { dirname } = process.getBuiltinModule('node:path');

export function applyExtends(ctx: LoadContext, layer: Layer, env: Record<string, string>, cwd: string): Record<string, unknown> {
  const services = layer.value.services;
  if (!isRecord(services)) return layer.value;
  const cache = new Map<string, Layer>([[layer.file, layer]]);
  const resolved = new Map<string, Record<string, unknown>>();
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(services)) out[name] = resolveService(ctx, layer, name, env, cwd, cache, resolved, []);
  return { ...layer.value, services: out };
}

function resolveService(
  ctx: LoadContext,
  layer: Layer,
  name: string,
  env: Record<string, string>,
  cwd: string,
  cache: Map<string, Layer>,
  resolved: Map<string, Record<string, unknown>>,
  chain: string[],
): Record<string, unknown> {
  const key = `${layer.file}#${name}`;
  const done = resolved.get(key);
  if (done) return done;
  const services = layer.value.services as Record<string, unknown>;
  const svc = services[name];
  if (!isRecord(svc)) return (svc ?? {}) as Record<string, unknown>;
  if (chain.includes(key)) {
    const names = [...chain, key].map((k) => k.slice(k.indexOf('#') + 1));
    throw specError(ctx, 'spec/extends-cycle', `circular reference with extends: ${names.join(' -> ')}`, `services.${name}.extends`, { file: layer.file });
  }
  if (svc.extends === undefined) {
    resolved.set(key, svc);
    return svc;
  }
  const ext = typeof svc.extends === 'string' ? { service: svc.extends } : (svc.extends as { service: string; file?: string });
  const path = `services.${name}.extends`;
  let baseLayer = layer;
  if (ext.file !== undefined) {
    const file = layer.file === '-' ? absPath(cwd, ext.file, ctx.home) : absPath(layer.dir, ext.file, ctx.home);
    let other = cache.get(file);
    if (!other) {
      try {
        other = readLayer(ctx, file, env, cwd, { validate: false });
      } catch (err) {
        if ((err as { code?: string }).code === 'spec/file-not-found') {
          throw specError(ctx, 'spec/extends', `cannot extend service "${name}": file ${file} not found`, path, { file: layer.file });
        }
        throw err;
      }
      cache.set(file, other);
    }
    baseLayer = other;
  }
  const baseServices = baseLayer.value.services;
  if (!isRecord(baseServices) || !(ext.service in baseServices)) {
    const where = ext.file !== undefined ? ` in ${baseLayer.file}` : '';
    throw specError(ctx, 'spec/extends', `cannot extend service "${name}": service "${ext.service}" not found${where}`, path, { file: layer.file });
  }
  let base = resolveService(ctx, baseLayer, ext.service, env, cwd, cache, resolved, [...chain, key]);
  if (baseLayer !== layer) base = resolveServicePaths(base, baseLayer.dir, ctx.home);
  const { extends: _drop, ...own } = svc;
  const { extends: _baseDrop, ...baseOwn } = base;
  const merged = mergeValue(baseOwn, own, ['services', name], `services.${name}`, layer.tags) as Record<string, unknown>;
  resolved.set(key, merged);
  return merged;
}

export function extendsDir(layer: Layer): string {
  return layer.file === '-' ? layer.dir : dirname(layer.file);
}
