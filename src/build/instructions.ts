// RUN and COPY/ADD arguments as the executor needs them: flags checked, heredocs applied,
// words substituted, the destination made absolute. Pure (no I/O), so it is unit-tested.
import { BerthError } from '../errors.js';
import type { ImageConfig } from '../image/index.js';
import { commandOf, DEFAULT_SHELL } from './config-step.js';
import type { RawInstruction } from './parse.js';
import { processWord, splitWords, type Lookup } from './words.js';
const { posix } = process.getBuiltinModule('node:path');

/** RUN's network: `default` (the build network: own netns, outbound NAT), `host` (the host's: needs the `network.host` entitlement), `none` (loopback only). */
export type RunNetwork = 'default' | 'host' | 'none';

export interface RunArgs {
  readonly args: string[];
  /** `--network=...`; undefined without the flag (the build's own setting applies). */
  readonly network: RunNetwork | undefined;
  /** `--mount` values that are ignored (cache/tmpfs mounts), for a warning. */
  readonly ignoredMounts: string[];
}

export function runArgs(inst: RawInstruction, config: ImageConfig): RunArgs {
  let network: RunNetwork | undefined;
  const ignoredMounts: string[] = [];
  for (const [k, v] of inst.flags) {
    if (k === 'network') {
      if (v === 'none' || v === 'host' || v === 'default') network = v;
      else throw new BerthError('build/unsupported', `RUN --network=${v} is not supported (host, default or none)`);
    } else if (k === 'mount') {
      if (!/(^|,)type=(cache|tmpfs)(,|$)/.test(v)) throw new BerthError('build/unsupported', `RUN --mount=${v} is not supported (only type=cache/tmpfs, which berth ignores)`);
      ignoredMounts.push(v);
    } else if (k === 'security' && v !== 'sandbox') throw new BerthError('build/unsupported', `RUN --security=${v} is not supported`);
  }
  if (inst.heredocs.length === 0) return { args: commandOf(inst, config), network, ignoredMounts };
  // `RUN <<EOF` alone: the body is the script; otherwise the shell reads the heredocs itself
  const bare = inst.args.replace(/<<-?\s*(["']?)[A-Za-z_][A-Za-z0-9_]*\1/g, '').trim();
  const shell = config.Shell ?? DEFAULT_SHELL;
  const args = bare === '' && inst.heredocs.length === 1 ? [...shell, inst.heredocs[0]!.content] : [...shell, [inst.args, ...inst.heredocs.map((h) => `${h.content}${h.name}`)].join('\n')];
  return { args, network, ignoredMounts };
}

export interface CopyArgs {
  readonly add: boolean;
  /** `--from` (stage name, index or image), substituted. */
  readonly from: string | undefined;
  readonly sources: readonly string[];
  /** Absolute; a trailing slash kept (directory destination). */
  readonly dest: string;
  readonly chown: string | undefined;
  readonly chmod: { readonly text: string; readonly mode: number } | undefined;
  readonly inline: readonly { readonly name: string; readonly content: string }[];
}

const UNSUPPORTED_FLAGS = new Set(['parents', 'exclude', 'checksum', 'keep-git-dir']);

export function copyArgs(inst: RawInstruction, env: Lookup, escape: string, workdir: string | undefined): CopyArgs {
  const add = inst.keyword === 'ADD';
  const flag = (n: string): string | undefined => {
    const v = inst.flags.filter(([k]) => k === n).pop()?.[1];
    return v === undefined ? undefined : processWord(v, env, escape);
  };
  for (const [k] of inst.flags) if (UNSUPPORTED_FLAGS.has(k)) throw new BerthError('build/unsupported', `${inst.keyword} --${k} is not supported`);
  const words = (inst.json ?? splitWords(inst.args, escape)).map((w) => processWord(w, env, escape));
  const heredocNames = new Set(inst.heredocs.map((h) => h.name));
  const isMarker = (w: string): boolean => /^<<-?/.test(w) && heredocNames.has(w.replace(/^<<-?\s*/, '').replace(/["']/g, ''));
  const rawDest = words[words.length - 1]!;
  const sources = words.slice(0, -1).filter((w) => !isMarker(w));
  for (const s of sources) {
    if (/^(https?|git):\/\//.test(s) || s.startsWith('git@')) {
      throw new BerthError('build/unsupported', `${inst.keyword} from a URL (${s}) is not supported by berth's builder`, {
        hint: 'download it into the build context, or fetch it in a RUN step (wget/curl)',
      });
    }
  }
  const from = flag('from');
  if (from !== undefined && add) throw new BerthError('build/dockerfile', 'ADD does not accept --from (use COPY --from)');
  const dest = posix.isAbsolute(rawDest) ? rawDest : `${posix.join(workdir || '/', rawDest)}${rawDest.endsWith('/') || rawDest === '.' ? '/' : ''}`;
  const chmodText = flag('chmod');
  if (chmodText !== undefined && !/^[0-7]{3,4}$/.test(chmodText)) throw new BerthError('build/dockerfile', `invalid --chmod=${chmodText}: expected an octal mode like 755`);
  return {
    add,
    from,
    sources,
    dest,
    chown: flag('chown'),
    chmod: chmodText === undefined ? undefined : { text: chmodText, mode: parseInt(chmodText, 8) },
    inline: inst.heredocs.map((h) => ({ name: h.name, content: h.content })),
  };
}
