/**
 * `import(specifier)` for the npm packages the CLI bundle leaves out (scripts/bundle.mjs):
 * through the bundle loader's hook when running from the bundle (an import() inside its
 * vm.Script would print an ExperimentalWarning), else directly.
 */
export function importEsm<T>(specifier: string): Promise<T> {
  const host = (globalThis as Record<symbol, unknown>)[Symbol.for('berth.import')] as ((s: string) => Promise<T>) | undefined;
  return host ? host(specifier) : (import(specifier) as Promise<T>);
}
