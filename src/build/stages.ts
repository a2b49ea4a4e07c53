// Stage bookkeeping: ARG declarations, which stages a target needs (FROM <stage> and
// COPY --from=<stage> edges, followed back from the target), in build order.
import { hostPlatform } from '../image/index.js';
import type { Dockerfile, RawInstruction } from './parse.js';
import { processWord, splitWords, SubstitutionError, type Lookup } from './words.js';

export interface ArgDecl {
  readonly name: string;
  /** The default after substitution, when given. */
  readonly value: string | undefined;
}

/** `ARG NAME`, `ARG NAME=default`, several per line. */
export function parseArgDecls(inst: RawInstruction, env: Lookup, escape: string): ArgDecl[] {
  return splitWords(inst.args, escape).map((w) => {
    const eq = w.indexOf('=');
    const name = eq === -1 ? w : w.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new SubstitutionError(`invalid ARG name "${name}"`);
    return { name, value: eq === -1 ? undefined : processWord(w.slice(eq + 1), env, escape) };
  });
}

/** The stage a FROM or --from value names (by name, or by index for --from), if any. */
export function stageRef(df: Dockerfile, ref: string, before: number, byIndex: boolean): number | undefined {
  const s = df.stages.find((x) => x.index < before && (x.name === ref.toLowerCase() || (byIndex && String(x.index) === ref)));
  return s?.index;
}

/** Indices of the stages the target needs, ascending (the target last). */
export function neededStages(df: Dockerfile, target: number, globals: Lookup): number[] {
  const need = new Set<number>();
  const visit = (i: number): void => {
    if (need.has(i)) return;
    need.add(i);
    const stage = df.stages[i]!;
    const base = processWord(stage.from.args.trim().split(/\s+/)[0]!, globals, df.escape);
    const b = stageRef(df, base, i, false);
    if (b !== undefined) visit(b);
    for (const inst of stage.instructions) {
      if (inst.keyword !== 'COPY') continue;
      for (const [k, v] of inst.flags) {
        if (k !== 'from') continue;
        const s = stageRef(df, processWord(v, globals, df.escape), i, true);
        if (s !== undefined) visit(s);
      }
    }
  };
  visit(target);
  return [...need].sort((a, b) => a - b);
}

/** BuildKit's automatic platform args (given a value when a Dockerfile declares them). */
export const AUTO_ARGS = (): Record<string, string> => {
  const p = hostPlatform();
  const plat = `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
  return {
    TARGETPLATFORM: plat,
    TARGETOS: p.os,
    TARGETARCH: p.architecture,
    TARGETVARIANT: p.variant ?? '',
    BUILDPLATFORM: plat,
    BUILDOS: p.os,
    BUILDARCH: p.architecture,
    BUILDVARIANT: p.variant ?? '',
  };
};

/** Predefined args never reported as unused. */
export const PROXY_ARGS = new Set(['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy']);
