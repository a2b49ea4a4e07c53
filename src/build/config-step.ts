// Instructions that only change the image config (no layer): ENV, LABEL, EXPOSE, USER,
// VOLUME, STOPSIGNAL, CMD, ENTRYPOINT, SHELL, HEALTHCHECK, MAINTAINER, ONBUILD. Each returns
// the canonical value that enters the cache key chain.
import type { ImageConfig } from '../image/index.js';
import type { RawInstruction } from './parse.js';
import { processPairs, processWord, processWords, SubstitutionError, type Lookup } from './words.js';

export type MutableConfig = { -readonly [K in keyof ImageConfig]: ImageConfig[K] };

export interface ConfigState {
  config: MutableConfig;
  author?: string;
  /** CMD was set in this stage (ENTRYPOINT then keeps it). */
  cmdSet: boolean;
}

/** The value of `name` in a `KEY=value` list. */
export const envValue = (env: readonly string[] | undefined, name: string): string | undefined => {
  const e = env?.find((x) => x.split('=')[0] === name);
  return e === undefined ? undefined : e.slice(e.indexOf('=') + 1);
};

export const DEFAULT_SHELL: readonly string[] = ['/bin/sh', '-c'];

/** Shell form -> [...SHELL, text]; exec form as given. */
export function commandOf(inst: RawInstruction, config: ImageConfig): string[] {
  return inst.json ? [...inst.json] : [...(config.Shell ?? DEFAULT_SHELL), inst.args];
}

/** Go duration (`30s`, `1m30s`, `500ms`) -> nanoseconds. */
export function parseDuration(text: string): number {
  const re = /(\d+(?:\.\d+)?)(ns|us|\u00b5s|ms|s|m|h)/gy; // \u00b5: the CLI bundle stays ASCII (scripts/bundle.mjs)
  const unit: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  let total = 0;
  let m: RegExpExecArray | null;
  let end = 0;
  if (text === '0') return 0;
  while ((m = re.exec(text)) !== null) {
    total += Number(m[1]) * unit[m[2]!]!;
    end = re.lastIndex;
  }
  if (end !== text.length || end === 0) throw new SubstitutionError(`invalid duration "${text}" (expected e.g. 30s, 1m30s, 500ms)`);
  return Math.round(total);
}

function setEnv(env: readonly string[] | undefined, key: string, value: string): string[] {
  const out = [...(env ?? [])];
  const i = out.findIndex((e) => e.split('=')[0] === key);
  if (i === -1) out.push(`${key}=${value}`);
  else out[i] = `${key}=${value}`;
  return out;
}

function ports(words: readonly string[]): string[] {
  const out: string[] = [];
  for (const w of words) {
    const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(w);
    if (!m) throw new SubstitutionError(`invalid port "${w}" (expected PORT[/PROTO] or START-END[/PROTO])`);
    const from = Number(m[1]);
    const to = m[2] ? Number(m[2]) : from;
    if (from < 1 || to > 65535 || to < from) throw new SubstitutionError(`invalid port range "${w}"`);
    for (let p = from; p <= to; p++) out.push(`${p}/${(m[3] ?? 'tcp').toLowerCase()}`);
  }
  return out;
}

/** Applies one config instruction; returns what it did (for the cache chain and history). */
export function applyConfig(state: ConfigState, inst: RawInstruction, env: Lookup, escape: string): string {
  const c = state.config;
  const args = inst.args;
  switch (inst.keyword) {
    case 'ENV': {
      const pairs = processPairs(args, env, escape);
      for (const [k, v] of pairs) c.Env = setEnv(c.Env, k, v);
      return `ENV ${pairs.map(([k, v]) => `${k}=${v}`).join(' ')}`;
    }
    case 'LABEL': {
      const pairs = processPairs(args, env, escape);
      c.Labels = { ...(c.Labels ?? {}), ...Object.fromEntries(pairs) };
      return `LABEL ${pairs.map(([k, v]) => `${k}=${v}`).join(' ')}`;
    }
    case 'MAINTAINER':
      state.author = processWord(args, env, escape);
      return `MAINTAINER ${state.author}`;
    case 'EXPOSE': {
      const list = ports(processWords(args, env, escape));
      c.ExposedPorts = { ...(c.ExposedPorts ?? {}), ...Object.fromEntries(list.map((p) => [p, {}])) };
      return `EXPOSE ${list.join(' ')}`;
    }
    case 'USER': {
      c.User = processWord(args.trim(), env, escape);
      return `USER ${c.User}`;
    }
    case 'STOPSIGNAL': {
      c.StopSignal = processWord(args.trim(), env, escape);
      return `STOPSIGNAL ${c.StopSignal}`;
    }
    case 'VOLUME': {
      const vols = inst.json ? inst.json.map((v) => processWord(v, env, escape)) : processWords(args, env, escape);
      if (vols.some((v) => v === '')) throw new SubstitutionError('VOLUME paths must not be empty');
      c.Volumes = { ...(c.Volumes ?? {}), ...Object.fromEntries(vols.map((v) => [v, {}])) };
      return `VOLUME ${JSON.stringify(vols)}`;
    }
    case 'CMD': {
      c.Cmd = commandOf(inst, c);
      state.cmdSet = true;
      return `CMD ${JSON.stringify(c.Cmd)}`;
    }
    case 'ENTRYPOINT': {
      c.Entrypoint = commandOf(inst, c);
      if (!state.cmdSet) delete c.Cmd;
      return `ENTRYPOINT ${JSON.stringify(c.Entrypoint)}`;
    }
    case 'SHELL':
      c.Shell = [...inst.json!];
      return `SHELL ${JSON.stringify(c.Shell)}`;
    case 'ONBUILD': {
      const trigger = args.trim();
      if (/^(ONBUILD|FROM|MAINTAINER)\b/i.test(trigger)) throw new SubstitutionError(`${trigger.split(/\s/)[0]!.toUpperCase()} isn't allowed as an ONBUILD trigger`);
      c.OnBuild = [...(c.OnBuild ?? []), trigger];
      return `ONBUILD ${trigger}`;
    }
    case 'HEALTHCHECK': {
      const t = args.trim();
      const flag = (n: string): string | undefined => inst.flags.filter(([k]) => k === n).pop()?.[1];
      if (/^NONE$/i.test(t)) {
        c.Healthcheck = { Test: ['NONE'] };
        return 'HEALTHCHECK NONE';
      }
      const m = /^CMD\s+([\s\S]+)$/i.exec(t);
      if (!m) throw new SubstitutionError('HEALTHCHECK expects "CMD command" or "NONE"');
      const rest = m[1]!.trim();
      let json: string[] | undefined;
      if (rest.startsWith('[')) {
        try {
          const v = JSON.parse(rest) as unknown;
          if (Array.isArray(v) && v.every((x) => typeof x === 'string')) json = v;
        } catch {
          json = undefined;
        }
      }
      const retries = flag('retries');
      if (retries !== undefined && !/^\d+$/.test(retries)) throw new SubstitutionError(`invalid --retries "${retries}"`);
      const hc: Record<string, unknown> = { Test: json ? ['CMD', ...json] : ['CMD-SHELL', rest] };
      for (const [f, k] of [
        ['interval', 'Interval'],
        ['timeout', 'Timeout'],
        ['start-period', 'StartPeriod'],
        ['start-interval', 'StartInterval'],
      ] as const) {
        const v = flag(f);
        if (v !== undefined) hc[k] = parseDuration(v);
      }
      if (retries !== undefined) hc.Retries = Number(retries);
      c.Healthcheck = hc as NonNullable<ImageConfig['Healthcheck']>;
      return `HEALTHCHECK ${JSON.stringify(hc)}`;
    }
    default:
      throw new SubstitutionError(`${inst.keyword} is not a config instruction`);
  }
}
