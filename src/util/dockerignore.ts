// `.dockerignore` exactly as Docker reads and applies it, shared by the image builder (which
// context files exist for COPY/ADD) and `berth watch` (which events a service ignores):
// - reading (moby/patternmatcher/ignorefile.ReadAll): a UTF-8 BOM is dropped, a line whose
//   first byte is `#` is a comment (before trimming), blank lines are skipped, the rest is
//   trimmed, `!` marks an exception, the path is cleaned (Go filepath.Clean: `./`, `//`, `..`
//   and trailing `/` go) and one leading `/` is dropped;
// - matching (moby/patternmatcher): `*` and `?` stay inside one segment, `**` spans any number
//   of segments, `[...]` classes, `\` escapes; a pattern also matches everything under a
//   directory it matches; the last matching pattern decides. A pattern without wildcards
//   is compared literally, so `.` matches no path of the context;
// - choosing the file (BuildKit): `<Dockerfile>.dockerignore` next to the Dockerfile first,
//   else `<context>/.dockerignore`.
import { BerthError } from '../errors.js';
const { readFileSync } = process.getBuiltinModule('node:fs');
const { dirname, basename, isAbsolute, join } = process.getBuiltinModule('node:path');

export interface IgnorePattern {
  /** The cleaned pattern, without the `!`. */
  readonly text: string;
  /** `!pattern`: re-includes what earlier patterns excluded. */
  readonly exclusion: boolean;
  /** Does this one pattern match the slash path (no parent matching)? */
  test(path: string): boolean;
}

export interface IgnoreMatcher {
  readonly patterns: readonly IgnorePattern[];
  /** True when some pattern is an exception (`!`). */
  readonly exclusions: boolean;
  /** Is `rel` (slash-separated, relative to the base) excluded? Parents matching count. */
  matches(rel: string): boolean;
  /** Could an exception re-include something under the excluded directory `rel`? */
  mayReinclude(rel: string): boolean;
}

/** Go's filepath.Clean on a slash path. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else out.push(part);
  }
  const s = (rooted ? '/' : '') + out.join('/');
  return s === '' ? '.' : s;
}

/** The pattern lines of an ignore file, as ignorefile.ReadAll returns them. */
export function readIgnoreLines(text: string): string[] {
  const out: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  for (const line of lines) {
    if (line.startsWith('#')) continue;
    let p = line.trim();
    if (p === '') continue;
    const invert = p.startsWith('!');
    if (invert) p = p.slice(1).trim();
    if (p.length > 0) {
      p = cleanPath(p);
      if (p.length > 1 && p.startsWith('/')) p = p.slice(1);
    }
    out.push(invert ? `!${p}` : p);
  }
  return out;
}

const ESCAPE = new Set(['.', '+', '(', ')', '|', '{', '}', '$']);

/** Go's filepath.Match syntax check (New rejects what Match calls ErrBadPattern). */
function validGoPattern(p: string): boolean {
  const c = Array.from(p);
  // one class member: a char or `\x`, never a bare `-` or `]`
  const esc = (k: number): number => {
    if (k >= c.length || c[k] === '-' || c[k] === ']') return -1;
    if (c[k] === '\\') return k + 1 < c.length ? k + 2 : -1;
    return k + 1;
  };
  for (let k = 0; k < c.length;) {
    const ch = c[k]!;
    if (ch === '\\') {
      if (k + 1 >= c.length) return false;
      k += 2;
    } else if (ch === '[') {
      k++;
      if (c[k] === '^') k++;
      let n = 0;
      for (;;) {
        if (k < c.length && c[k] === ']' && n > 0) {
          k++;
          break;
        }
        k = esc(k);
        if (k < 0) return false;
        if (c[k] === '-') {
          k = esc(k + 1);
          if (k < 0) return false;
        }
        n++;
      }
    } else k++;
  }
  return true;
}

/** One pattern as patternmatcher compiles it: exact, prefix (`a/**`), suffix (`**\/a`) or regexp. */
function compileOne(text: string, exclusion: boolean): IgnorePattern {
  let re = '^';
  let kind: 'exact' | 'prefix' | 'suffix' | 'regexp' = 'exact';
  const chars = Array.from(text);
  for (let i = 0, k = 0; k < chars.length; i++) {
    const ch = chars[k++]!;
    if (ch === '*') {
      if (chars[k] === '*') {
        k++;
        if (chars[k] === '/') k++;
        if (k >= chars.length) {
          if (kind === 'exact') kind = 'prefix';
          else {
            re += '.*';
            kind = 'regexp';
          }
        } else {
          re += '(.*/)?';
          kind = 'regexp';
        }
        if (i === 0) kind = 'suffix';
      } else {
        re += '[^/]*';
        kind = 'regexp';
      }
    } else if (ch === '?') {
      re += '[^/]';
      kind = 'regexp';
    } else if (ESCAPE.has(ch)) re += `\\${ch}`;
    else if (ch === '\\') {
      if (k < chars.length) {
        re += `\\${chars[k++]!}`;
        kind = 'regexp';
      } else re += '\\\\';
    } else if (ch === '[' || ch === ']') {
      re += ch;
      kind = 'regexp';
    } else re += ch;
  }
  const bad = (cause?: unknown): BerthError =>
    new BerthError('dockerignore/bad-pattern', `bad .dockerignore pattern "${exclusion ? '!' : ''}${text}"`, {
      hint: 'patterns follow Go filepath.Match syntax plus **',
      cause,
    });
  if (!validGoPattern(text)) throw bad();
  switch (kind) {
    case 'exact':
      return { text, exclusion, test: (p) => p === text };
    case 'prefix': {
      const prefix = text.slice(0, -2);
      return { text, exclusion, test: (p) => p.startsWith(prefix) };
    }
    case 'suffix': {
      const suffix = text.slice(2);
      return { text, exclusion, test: (p) => p.endsWith(suffix) || (suffix.startsWith('/') && p === suffix.slice(1)) };
    }
    default: {
      let rx: RegExp;
      try {
        rx = new RegExp(`${re}$`, 'u');
      } catch {
        try {
          rx = new RegExp(`${re}$`);
        } catch (err) {
          throw bad(err);
        }
      }
      return { text, exclusion, test: (p) => rx.test(p) };
    }
  }
}

/** patternmatcher.New: `patterns` are lines as readIgnoreLines returns them (or a plain list). */
export function compileIgnore(patterns: readonly string[]): IgnoreMatcher {
  const list: IgnorePattern[] = [];
  for (const raw of patterns) {
    let p = raw.trim();
    if (p === '') continue;
    p = cleanPath(p);
    const exclusion = p.startsWith('!');
    if (exclusion) {
      if (p.length === 1) throw new BerthError('dockerignore/bad-pattern', 'illegal exclusion pattern: "!"', { hint: 'write the path to re-include after the !' });
      p = p.slice(1);
    }
    list.push(compileOne(p, exclusion));
  }
  const exclusions = list.some((p) => p.exclusion);
  return {
    patterns: list,
    exclusions,
    matches(rel) {
      if (list.length === 0) return false;
      const file = rel;
      const slash = file.lastIndexOf('/');
      const parent = cleanPath(slash < 0 ? '' : file.slice(0, slash + 1)); // Go filepath.Dir
      const parents: string[] = [];
      if (parent !== '.') {
        const parts = parent.split('/');
        for (let i = 1; i <= parts.length; i++) parents.push(parts.slice(0, i).join('/'));
      }
      let matched = false;
      for (const p of list) {
        if (p.exclusion !== matched) continue; // only a pattern that could flip the answer
        if (p.test(file) || parents.some((d) => p.test(d))) matched = !p.exclusion;
      }
      return matched;
    },
    mayReinclude(rel) {
      const dir = `${rel}/`;
      return list.some((p) => p.exclusion && (/[*?[\\]/.test(p.text) || `${p.text}/`.startsWith(dir)));
    },
  };
}

/** An ignore file's text, compiled. */
export function parseDockerignore(text: string): IgnoreMatcher {
  return compileIgnore(readIgnoreLines(text));
}

/**
 * The ignore files BuildKit tries, in order: `<Dockerfile>.dockerignore` next to the
 * Dockerfile (relative Dockerfile paths are relative to the context; none for an inline
 * Dockerfile), then `<context>/.dockerignore`.
 */
export function ignoreFileCandidates(context: string, dockerfile: string | undefined): string[] {
  const out: string[] = [];
  if (dockerfile !== undefined) {
    const abs = isAbsolute(dockerfile) ? dockerfile : join(context, dockerfile);
    out.push(join(dirname(abs), `${basename(abs)}.dockerignore`));
  }
  out.push(join(context, '.dockerignore'));
  return out;
}

export interface LoadedIgnore {
  /** The file read, or undefined when none exists. */
  readonly file: string | undefined;
  readonly matcher: IgnoreMatcher;
}

function located(file: string, err: unknown): never {
  if (err instanceof BerthError) throw new BerthError(err.code, `${file}: ${err.message}`, { hint: err.hint, cause: err });
  throw new BerthError('dockerignore/unreadable', `cannot read ${file}`, { cause: err });
}

const missing = (err: unknown): boolean => (err as NodeJS.ErrnoException).code === 'ENOENT';

/** Reads and compiles the ignore file that applies to a build (see ignoreFileCandidates). */
export async function loadDockerignore(context: string, dockerfile: string | undefined): Promise<LoadedIgnore> {
  return loadDockerignoreSync(context, dockerfile); // one small file: a synchronous read is the cheapest
}

/** loadDockerignore for synchronous callers (watch rules are compiled synchronously). */
export function loadDockerignoreSync(context: string, dockerfile: string | undefined): LoadedIgnore {
  for (const file of ignoreFileCandidates(context, dockerfile)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if (missing(err)) continue;
      located(file, err);
    }
    try {
      return { file, matcher: parseDockerignore(text) };
    } catch (err) {
      located(file, err);
    }
  }
  return { file: undefined, matcher: compileIgnore([]) };
}
