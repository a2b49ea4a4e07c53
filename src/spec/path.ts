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

export interface PathTable<T> {
  /** Rows indexed by the pattern's last segment ('*' rows apart), for a cheap miss. */
  readonly byLast: ReadonlyMap<string, readonly { pattern: string[]; value: T }[]>;
  readonly wild: readonly { pattern: string[]; value: T }[];
}

export function compileTable<T>(table: Readonly<Record<string, T>>): PathTable<T> {
  const byLast = new Map<string, { pattern: string[]; value: T }[]>();
  const wild: { pattern: string[]; value: T }[] = [];
  for (const [p, value] of Object.entries(table)) {
    const pattern = p.split('.');
    const last = pattern[pattern.length - 1]!;
    if (last === '*') wild.push({ pattern, value });
    else {
      const rows = byLast.get(last) ?? [];
      rows.push({ pattern, value });
      byLast.set(last, rows);
    }
  }
  return { byLast, wild };
}

export function lookup<T>(table: PathTable<T>, segments: readonly string[]): T | undefined {
  const rows = table.byLast.get(segments[segments.length - 1]!);
  if (rows) for (const row of rows) if (matches(segments, row.pattern)) return row.value;
  for (const row of table.wild) if (matches(segments, row.pattern)) return row.value;
  return undefined;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
