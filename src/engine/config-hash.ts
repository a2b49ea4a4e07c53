const { createHash } = process.getBuiltinModule('node:crypto');

/**
 * Service settings that do not affect the container itself: changing them never
 * recreates a container (docker compose's rule).
 */
const IGNORED_KEYS = new Set(['build', 'scale', 'depends_on', 'profiles', 'pull_policy', 'develop', 'x-develop']);
const IGNORED_DEPLOY_KEYS = new Set(['replicas', 'update_config', 'rollback_config']);

/**
 * The config hash of a service: sha256 over its canonical JSON (sorted keys) minus the
 * settings in IGNORED_KEYS. Stored as the `berth.config-hash` label; a different hash
 * means the container is recreated.
 */
export function configHash(service: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(stripIgnored(service)))
    .digest('hex');
}

function stripIgnored(service: unknown): unknown {
  if (!isRecord(service)) return service;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(service)) {
    if (IGNORED_KEYS.has(k) || k.startsWith('x-')) continue;
    if (k === 'deploy' && isRecord(v)) {
      const deploy: Record<string, unknown> = {};
      for (const [dk, dv] of Object.entries(v)) if (!IGNORED_DEPLOY_KEYS.has(dk)) deploy[dk] = dv;
      if (Object.keys(deploy).length > 0) out[k] = deploy;
      continue;
    }
    out[k] = v;
  }
  return out;
}

/** JSON with object keys sorted at every level; `undefined` members dropped; Maps and Sets as arrays. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalize(value));
}

function normalize(value: unknown): unknown {
  if (value instanceof Map) return normalize(Object.fromEntries(value));
  if (value instanceof Set) return [...value].map(normalize);
  if (Array.isArray(value)) return value.map(normalize);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = value[k];
      if (v !== undefined) out[k] = normalize(v);
    }
    return out;
  }
  return value;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
