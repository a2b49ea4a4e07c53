/**
 * Stage "interpolate": substitutes variables in every string value (never in keys), then
 * casts values at typed paths (compose-go `interpolateTypeCastMapping`), so that
 * `replicas: ${N}` becomes a number before validation.
 */
import { compileTable, isRecord, joinPath, lookup } from './path.js';
import { substitute, TemplateError, type Lookup } from './template.js';

export class InterpolationError extends Error {
  readonly path: string;
  constructor(message: string, path: string) {
    super(message);
    this.path = path;
  }
}

type Cast = (v: string) => unknown;

const toInt: Cast = (v) => {
  if (!/^[-+]?\d+$/.test(v.trim())) throw new Error(`failed to cast to expected type: invalid integer: "${v}"`);
  return Number(v);
};
const toFloat: Cast = (v) => {
  const n = Number(v);
  if (v.trim() === '' || Number.isNaN(n)) throw new Error(`failed to cast to expected type: invalid number: "${v}"`);
  return n;
};
const toBool: Cast = (v) => {
  const l = v.toLowerCase();
  if (['y', 'yes', 'true', 'on', '1', 't'].includes(l)) return true;
  if (['n', 'no', 'false', 'off', '0', 'f'].includes(l)) return false;
  throw new Error(`failed to cast to expected type: invalid boolean: "${v}"`);
};

const S = 'services.*';
const casts = compileTable<Cast>({
  [`${S}.configs.[].mode`]: toInt,
  [`${S}.cpu_count`]: toInt,
  [`${S}.cpu_percent`]: toFloat,
  [`${S}.cpu_period`]: toInt,
  [`${S}.cpu_quota`]: toInt,
  [`${S}.cpu_rt_period`]: toInt,
  [`${S}.cpu_rt_runtime`]: toInt,
  [`${S}.cpus`]: toFloat,
  [`${S}.cpu_shares`]: toInt,
  [`${S}.init`]: toBool,
  [`${S}.deploy.replicas`]: toInt,
  [`${S}.deploy.update_config.parallelism`]: toInt,
  [`${S}.deploy.update_config.max_failure_ratio`]: toFloat,
  [`${S}.deploy.rollback_config.parallelism`]: toInt,
  [`${S}.deploy.rollback_config.max_failure_ratio`]: toFloat,
  [`${S}.deploy.restart_policy.max_attempts`]: toInt,
  [`${S}.deploy.placement.max_replicas_per_node`]: toInt,
  [`${S}.healthcheck.retries`]: toInt,
  [`${S}.healthcheck.disable`]: toBool,
  [`${S}.oom_kill_disable`]: toBool,
  [`${S}.oom_score_adj`]: toInt,
  [`${S}.pids_limit`]: toInt,
  [`${S}.ports.[].target`]: toInt,
  [`${S}.privileged`]: toBool,
  [`${S}.read_only`]: toBool,
  [`${S}.scale`]: toInt,
  [`${S}.secrets.[].mode`]: toInt,
  [`${S}.stdin_open`]: toBool,
  [`${S}.tty`]: toBool,
  [`${S}.attach`]: toBool,
  [`${S}.ulimits.*`]: toInt,
  [`${S}.ulimits.*.hard`]: toInt,
  [`${S}.ulimits.*.soft`]: toInt,
  [`${S}.volumes.[].read_only`]: toBool,
  [`${S}.volumes.[].volume.nocopy`]: toBool,
  [`${S}.volumes.[].bind.create_host_path`]: toBool,
  [`${S}.depends_on.*.required`]: toBool,
  [`${S}.depends_on.*.restart`]: toBool,
  [`${S}.build.no_cache`]: toBool,
  [`${S}.build.pull`]: toBool,
  [`${S}.build.privileged`]: toBool,
  [`${S}.env_file.[].required`]: toBool,
  'networks.*.external': toBool,
  'networks.*.internal': toBool,
  'networks.*.attachable': toBool,
  'networks.*.enable_ipv4': toBool,
  'networks.*.enable_ipv6': toBool,
  'volumes.*.external': toBool,
  'secrets.*.external': toBool,
  'configs.*.external': toBool,
});

export interface InterpolateOptions {
  readonly lookup: Lookup;
  readonly onUnset: (name: string) => void;
  /** false: leave `${...}` untouched (`--no-interpolate`), only cast. */
  readonly substitute: boolean;
}

export function interpolateTree(value: unknown, options: InterpolateOptions): unknown {
  // one mutable stack of segments (`[]` for items) and of keys/indexes: paths are built
  // only for errors, so a big file does not allocate a path per value
  const seg: string[] = [];
  const keys: (string | number)[] = [];
  const pathOf = (): string => keys.reduce<string>((p, k) => joinPath(p, k), '');
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      let out: string = v;
      if (options.substitute && v.includes('$')) {
        try {
          out = substitute(v, options.lookup, options.onUnset);
        } catch (err) {
          if (err instanceof TemplateError) {
            const msg = err.kind === 'invalid' ? `invalid interpolation format: ${JSON.stringify(v)}; you may need to escape any $ with another $` : err.message;
            throw new InterpolationError(msg, pathOf());
          }
          throw err;
        }
      }
      const cast = lookup(casts, seg);
      if (cast && !(options.substitute === false && out.includes('$'))) {
        try {
          return cast(out);
        } catch (err) {
          throw new InterpolationError(`${(err as Error).message}`, pathOf());
        }
      }
      return out;
    }
    if (Array.isArray(v)) {
      seg.push('[]');
      const out = v.map((x, i) => {
        keys.push(i);
        const r = walk(x);
        keys.pop();
        return r;
      });
      seg.pop();
      return out;
    }
    if (isRecord(v)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) {
        seg.push(k);
        keys.push(k);
        out[k] = walk(v[k]);
        seg.pop();
        keys.pop();
      }
      return out;
    }
    return v;
  };
  return walk(value);
}
