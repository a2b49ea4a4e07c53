const { statSync } = process.getBuiltinModule('node:fs');

/**
 * A lock file with no owner in it: its maker writes its pid right after the exclusive create,
 * so an empty one is either being written this very moment or was left by a maker killed in
 * between. Stale once it is a moment old (shared by the project and network locks).
 */
export function emptyLockIsStale(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > 1000;
  } catch {
    return false; // gone: the next exclusive create settles it
  }
}
