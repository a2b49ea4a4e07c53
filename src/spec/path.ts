/**
 * Tree paths as users read them: `services.web.ports[0]`. Rules are tables keyed by
 * patterns over segments (`services.*.ports`), as compose-go's `tree.Path`.
 */

export function joinPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** Segments (keys; array items as `[]`) match a pattern of keys and `*`. */
export function matches(segments: readonly string[], pattern: readonly string[]): boolean {
  if (segments.length !== pattern.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] !== '*' && pattern[i] !== segments[i]) return false;
  }
  return true;
}

export function compileTable<T>(table: Readonly<Record<string, T>>): { pattern: string[]; value: T }[] {
  return Object.entries(table).map(([p, value]) => ({ pattern: p.split('.'), value }));
}

export function lookup<T>(table: readonly { pattern: string[]; value: T }[], segments: readonly string[]): T | undefined {
  for (const row of table) if (matches(segments, row.pattern)) return row.value;
  return undefined;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
