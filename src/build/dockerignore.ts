// `.dockerignore` as Docker reads it (moby/patternmatcher): one pattern a line, `#` comments,
// `!` exceptions, Go filepath.Match syntax plus `**`; a pattern also matches everything
// under a directory it matches; the last matching pattern decides.
import { posix } from 'node:path';
import { globToRegExp } from '../util/glob.js';

export interface IgnorePattern {
  readonly exclusion: boolean;
  readonly re: RegExp;
  readonly text: string;
}

export { globToRegExp };

export function parseDockerignore(text: string): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const exclusion = line.startsWith('!');
    if (exclusion) line = line.slice(1).trim();
    let p = posix.normalize(line).replace(/^\/+/, '').replace(/\/+$/, '');
    if (p === '.' || p === '') p = '.';
    out.push({ exclusion, re: p === '.' ? /^.*$/ : globToRegExp(p), text: line });
  }
  return out;
}

/** Is `rel` (slash-separated, relative to the context) excluded? Parents count as matches. */
export function isIgnored(patterns: readonly IgnorePattern[], rel: string): boolean {
  if (patterns.length === 0) return false;
  const parents: string[] = [];
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) parents.push(parts.slice(0, i).join('/'));
  let ignored = false;
  for (const p of patterns) {
    const hit = p.re.test(rel) || parents.some((d) => p.re.test(d));
    if (hit) ignored = !p.exclusion;
  }
  return ignored;
}

/** Can anything under directory `rel` be re-included by an exception? (else skip the walk) */
export function mayReinclude(patterns: readonly IgnorePattern[], rel: string): boolean {
  return patterns.some((p) => p.exclusion && (p.text.startsWith(`${rel}/`) || /[*?[]/.test(p.text)));
}
