/**
 * Watch-side path matchers: absolute paths checked against .dockerignore-style patterns
 * (util/dockerignore.ts, moby's patternmatcher) relative to a base directory, the way
 * compose's watch builds them.
 */
import { cleanPath, compileIgnore } from '../util/dockerignore.js';
const { relative, sep } = process.getBuiltinModule('node:path');

export interface PathMatcher {
  /** Whether the absolute path (or one of its parents below the base) matches. */
  matches(absPath: string): boolean;
}

export const anyMatcher: PathMatcher = { matches: () => true };
export const noneMatcher: PathMatcher = { matches: () => false };

/**
 * compose's NewDockerPatternMatcher: patterns are joined onto the base, so `.` (and `!.`)
 * names the base itself and matches everything below it; a bare `*` makes compose drop every
 * non-exception pattern. The rest is .dockerignore matching (util/dockerignore.ts).
 */
export function composeWatchPatterns(base: string, patterns: readonly string[]): string[] {
  const list = patterns.includes('*') ? patterns.filter((p) => p === '' || p.startsWith('!')) : [...patterns];
  const out: string[] = [];
  for (const raw of list) {
    if (raw.trim() === '') continue;
    const t = cleanPath(raw.trim());
    const bang = t.startsWith('!') ? '!' : '';
    let body = bang ? t.slice(1) : t;
    if (body.startsWith('/')) {
      // an absolute pattern stays absolute in compose: keep it only when it lies under the base
      const rel = relative(base, body).split(sep).join('/');
      if (rel === '..' || rel.startsWith('../')) continue;
      body = rel === '' ? '.' : rel;
    }
    out.push(bang + (body === '.' ? '**' : body));
  }
  return out;
}

/** A matcher for `patterns` relative to the absolute directory `base`. */
export function patternMatcher(base: string, patterns: readonly string[]): PathMatcher {
  const compiled = compileIgnore(composeWatchPatterns(base, patterns));
  if (compiled.patterns.length === 0) return noneMatcher;
  return {
    matches(absPath) {
      const rel = relative(base, absPath).split(sep).join('/');
      if (rel === '' || rel === '..' || rel.startsWith('../')) return false;
      return compiled.matches(rel);
    },
  };
}

export function anyOf(...matchers: readonly PathMatcher[]): PathMatcher {
  const list = matchers.filter((m) => m !== noneMatcher);
  return { matches: (p) => list.some((m) => m.matches(p)) };
}

/** Editor temp and lock files compose never reacts to (GoLand, emacs, vim). */
export const EPHEMERAL_PATTERNS: readonly string[] = ['**/*___jb_old___', '**/*___jb_tmp___', '**/.idea/**', '**/.#*', '**/4913', '**/*~', '**/.*.swp', '**/.*.swx', '**/.*.swo', '**/.*.swn'];
