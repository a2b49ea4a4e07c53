/**
 * .dockerignore-style path matching (moby's patternmatcher): patterns are relative to a
 * base directory, `*` and `?` stay inside one path segment, `**` crosses segments, `!`
 * re-includes, the last matching pattern wins, and a pattern that matches a directory
 * matches everything below it.
 */
import { relative, sep } from 'node:path';
import { globToRegExp } from '../util/glob.js';

interface Pattern {
  readonly exclude: boolean;
  readonly re: RegExp;
}

export interface PathMatcher {
  /** Whether the absolute path (or one of its parents below the base) matches. */
  matches(absPath: string): boolean;
}

export const anyMatcher: PathMatcher = { matches: () => true };
export const noneMatcher: PathMatcher = { matches: () => false };

/** Cleans one pattern line as Docker does: trims, drops a leading `/` and `./`, folds `//`. */
function clean(p: string): string {
  let s = p.trim().replace(/\/+/g, '/');
  while (s.startsWith('./')) s = s.slice(2);
  s = s.replace(/^\/+/, '').replace(/\/+$/, '');
  return s === '' ? '.' : s;
}

export function compilePatterns(patterns: readonly string[]): Pattern[] {
  const out: Pattern[] = [];
  for (const raw of patterns) {
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) continue;
    const exclude = t.startsWith('!');
    const body = clean(exclude ? t.slice(1) : t);
    if (body === '.') continue;
    out.push({ exclude, re: globToRegExp(body) });
  }
  return out;
}

/** Matches relative slash paths (`a/b/c`) against compiled patterns, parents included. */
export function matchRelative(patterns: readonly Pattern[], rel: string): boolean {
  const parts = rel.split('/');
  const prefixes: string[] = [];
  for (let i = 1; i <= parts.length; i++) prefixes.push(parts.slice(0, i).join('/'));
  let matched = false;
  for (const p of patterns) {
    if (p.exclude !== matched) continue; // only a pattern that could flip the answer matters
    if (prefixes.some((x) => p.re.test(x))) matched = !p.exclude;
  }
  return matched;
}

/** A matcher for `patterns` relative to the absolute directory `base`. */
export function patternMatcher(base: string, patterns: readonly string[]): PathMatcher {
  const compiled = compilePatterns(patterns);
  if (compiled.length === 0) return noneMatcher;
  return {
    matches(absPath) {
      const rel = relative(base, absPath).split(sep).join('/');
      if (rel === '' || rel === '..' || rel.startsWith('../')) return false;
      return matchRelative(compiled, rel);
    },
  };
}

export function anyOf(...matchers: readonly PathMatcher[]): PathMatcher {
  const list = matchers.filter((m) => m !== noneMatcher);
  return { matches: (p) => list.some((m) => m.matches(p)) };
}

/** Editor temp and lock files compose never reacts to (GoLand, emacs, vim). */
export const EPHEMERAL_PATTERNS: readonly string[] = [
  '**/*___jb_old___', '**/*___jb_tmp___', '**/.idea/**', '**/.#*',
  '**/4913', '**/*~', '**/.*.swp', '**/.*.swx', '**/.*.swo', '**/.*.swn',
];
