/**
 * compose `pull_policy`: `always`, `never`, `missing` (`if_not_present`), `build`, and the
 * timed ones `daily`, `weekly`, `every_<duration>` (`every_12h`, `every_1w2d`): pull when the
 * local image was last pulled longer ago than that (Docker reads the image's LastTagTime).
 * berth's image store keeps no pull time, so the engine records one per reference under
 * `$BERTH_ROOT/pulls/` whenever it pulls (up, run, `berth pull`); an image with no record
 * counts as stale and is pulled once.
 */
import type { PullPolicy } from '../image/index.js';
import type { EnginePaths } from './paths.js';
import { hasFields, readJsonFile, writeJsonFile } from '../util/json-file.js';
const { createHash } = process.getBuiltinModule('node:crypto');
const { mkdirSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');

const DAY_MS = 86_400_000;
const UNIT_MS: Readonly<Record<string, number>> = { w: 7 * DAY_MS, d: DAY_MS, h: 3_600_000, m: 60_000, s: 1000 };

/** The refresh interval of a timed policy in ms, or undefined for the others. */
export function pullInterval(policy: string | undefined): number | undefined {
  if (policy === 'daily') return DAY_MS;
  if (policy === 'weekly') return 7 * DAY_MS;
  const m = /^every_((?:\d+[wdhms])+)$/.exec(policy ?? '');
  if (!m) return undefined;
  let ms = 0;
  for (const [, n, u] of m[1]!.matchAll(/(\d+)([wdhms])/g)) ms += Number(n) * UNIT_MS[u!]!;
  return ms;
}

/**
 * The policy the image module applies: a timed one becomes `always` when the last pull is
 * older than its interval (or unknown), `missing` otherwise; `refresh` is `always`.
 */
export function effectivePullPolicy(policy: string | undefined, lastPulledAt: number | undefined, now: number): PullPolicy {
  if (policy === 'always' || policy === 'never' || policy === 'build') return policy;
  if (policy === 'refresh') return 'always';
  const interval = pullInterval(policy);
  if (interval === undefined) return 'missing';
  return lastPulledAt === undefined || now - lastPulledAt >= interval ? 'always' : 'missing';
}

const isPullRecord = (v: unknown): v is { ref: string; at: number } => hasFields(v, { ref: 'string', at: 'number' });

function pullFile(paths: EnginePaths, ref: string): string {
  return join(paths.root, 'pulls', `${createHash('sha256').update(ref).digest('hex').slice(0, 32)}.json`);
}

/** When the engine last pulled `ref` (ms since epoch), if it recorded it. */
export function lastPulled(paths: EnginePaths, ref: string): number | undefined {
  try {
    const r = readJsonFile(pullFile(paths, ref), isPullRecord, 'engine/state-corrupt');
    return r?.ref === ref ? r.at : undefined;
  } catch {
    // best effort: a record that cannot be read only means an earlier re-pull
    return undefined;
  }
}

/** Records a pull of `ref` (best effort: a failure only means an earlier re-pull). */
export function recordPull(paths: EnginePaths, ref: string, at: number): void {
  try {
    const file = pullFile(paths, ref);
    mkdirSync(join(paths.root, 'pulls'), { recursive: true });
    writeJsonFile(file, { ref, at });
  } catch {
    // read-only root or the like
  }
}

/** For a caller about to ensure `ref`: the policy to use, from the service's pull_policy (or a --pull flag). */
export function pullPolicyFor(paths: EnginePaths, ref: string, policy: string | undefined, now: number): PullPolicy {
  return effectivePullPolicy(policy, pullInterval(policy) !== undefined ? lastPulled(paths, ref) : undefined, now);
}
