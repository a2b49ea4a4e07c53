/**
 * Runs a CommonJS bundle (scripts/bundle.mjs) through `vm.Script` with a V8 code cache that
 * is written after the command ran, one per command. Node's own compile cache stores a
 * module's code as compiled before it runs: only its top level, so every function a command
 * calls is parsed and compiled again on every start (~20 ms of `down`, ~30 ms of `up`). A
 * cache made at exit holds those functions' bytecode too.
 *
 * The cache lives in `<bundle dir>/cache/`, which scripts/bundle.mjs empties on every build
 * (V8 checks only the source's length before it takes a cache: a cache made from another
 * source of that length runs that other code). Bytecode is code, so every code cache berth
 * keeps (these and Node's compile cache, `cache/node/`) lives only in that directory, used
 * when it is a real directory (not a symlink) owned by this user and closed to everyone else,
 * in a parent where nobody else may swap it; each file is opened without following symlinks
 * and used only when owned by this user and writable by nobody else. Never Node's default
 * directory under TMPDIR, which any local user can create first.
 * A cache is written once per command (when missing or rejected) and only after a run that
 * succeeded, so no typo makes a file.
 */
const { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } = process.getBuiltinModule('node:fs');
const { createRequire, enableCompileCache } = process.getBuiltinModule('node:module');
const { dirname, join } = process.getBuiltinModule('node:path');
const { fileURLToPath } = process.getBuiltinModule('node:url');
const vm = process.getBuiltinModule('node:vm');

/** Global flags that take a value in the next argument (`berth -f x.yaml up`); a test keeps it in step with cli/command.ts. */
export const VALUE_FLAGS: ReadonlySet<string> = new Set(['-f', '--file', '-p', '--project-name', '--project-directory', '--env-file', '--profile', '--progress', '--ansi', '--parallel']);
/** Commands with subcommands (`berth container run`); a test keeps it in step with cli/commands/index.ts. */
export const GROUPS: ReadonlySet<string> = new Set(['container', 'image', 'network']);

/**
 * The command an argv names (`up`, `container-run`), as a cache key; `berth` for none
 * (`--version`, `--help`); undefined for a word that names no command.
 */
export function commandKey(argv: readonly string[]): string | undefined {
  const words: string[] = [];
  for (let i = 0; i < argv.length && words.length < 2; i++) {
    const a = argv[i]!;
    if (a.startsWith('-')) {
      if (words.length === 0 && VALUE_FLAGS.has(a)) i++;
      if (words.length > 0) break;
      continue;
    }
    words.push(a);
    if (!GROUPS.has(a)) break; // only a group has a second word
  }
  if (words.length === 0) return 'berth';
  const key = words.join('-');
  return /^[a-z][a-z-]{0,40}$/.test(key) ? key : undefined;
}

const euid = process.geteuid?.();

/**
 * `<dir of bundle>/cache`, created 0700 when missing, when code may be kept there: a real
 * directory owned by this user, closed to everyone else, in a parent where others cannot
 * rename entries (not writable by them, or sticky). Undefined otherwise.
 */
export function privateCacheDir(bundle: string): string | undefined {
  const dir = join(dirname(bundle), 'cache');
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch {
    // exists already, or the bundle's directory is not ours to write
  }
  const st = lstatSync(dir, { throwIfNoEntry: false });
  if (st === undefined || !st.isDirectory() || st.uid !== euid || (st.mode & 0o077) !== 0) return undefined;
  const parent = statSync(dirname(dir), { throwIfNoEntry: false });
  return parent !== undefined && ((parent.mode & 0o022) === 0 || (parent.mode & 0o1000) !== 0) ? dir : undefined;
}

/** The content of `file` when it is a regular file (not a symlink) of this user that nobody else may write. */
function readPrivately(file: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    return st.isFile() && st.uid === euid && (st.mode & 0o022) === 0 ? readFileSync(fd) : undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Node's compile cache (modules loaded from dist/src, ink's renderer) in `cache/node/` of
 * the bundle's private cache directory; none when that directory is not private.
 */
export function enableNodeCompileCache(bundleUrl: URL): void {
  const dir = privateCacheDir(fileURLToPath(bundleUrl));
  if (dir !== undefined) enableCompileCache?.(join(dir, 'node'));
}

/** The one warning Node gives for the loader option below (at the bundle's first `import()`). */
const LOADER_WARNING = 'vm.USE_MAIN_CONTEXT_DEFAULT_LOADER is an experimental feature';

/**
 * Keeps Node's experimental-feature warning for `USE_MAIN_CONTEXT_DEFAULT_LOADER` off the
 * user's screen (berth's own choice, nothing a user can act on); every other warning passes.
 */
function muteLoaderWarning(): void {
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]): void => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (text.startsWith(LOADER_WARNING)) return;
    emit(warning, ...rest);
  }) as typeof process.emitWarning;
}

/**
 * Loads and runs `bundleUrl` (a CommonJS file) with the code cache for `key` (none when
 * undefined), and writes that cache when it was missing or rejected: at a successful exit,
 * or for a long-running process (the supervisor, which `down` ends with SIGKILL) once it ran
 * `writeAfterMs`.
 */
export function runBundle(bundleUrl: URL, key: string | undefined, options: { writeAfterMs?: number } = {}): void {
  const file = fileURLToPath(bundleUrl);
  const dir = key === undefined ? undefined : privateCacheDir(file);
  const cacheFile = dir === undefined ? undefined : join(dir, `${key}.bin`);
  const cached = cacheFile === undefined ? undefined : readPrivately(cacheFile);
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`;
  muteLoaderWarning();
  const script = new vm.Script(source, {
    filename: file,
    ...(cached ? { cachedData: cached } : {}),
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  // the mark util/trace.ts prints (it is inside the bundle)
  if (process.env.BERTH_TRACE)
    writeSync(2, `berth-trace ${performance.now().toFixed(1)} bundle compiled (${cached === undefined ? 'no code cache' : script.cachedDataRejected ? 'code cache rejected' : 'code cache'})\n`);
  if (cacheFile !== undefined && (cached === undefined || script.cachedDataRejected)) {
    const write = (): void => {
      try {
        const tmp = `${cacheFile}.${process.pid}`;
        writeFileSync(tmp, script.createCachedData(), { mode: 0o600, flag: 'wx' });
        renameSync(tmp, cacheFile);
      } catch {
        // a cache is an optimisation: a full disk or a read-only install just goes without
      }
    };
    if (options.writeAfterMs !== undefined) setTimeout(write, options.writeAfterMs).unref();
    else process.on('exit', (code) => code === 0 && write());
    // a command that execs into another program (an attached `container run` becomes the
    // shim) never exits: it emits this just before the execve (runtime/foreground.ts)
    process.once('berth:before-exec', write);
  }
  // An import() made inside the vm.Script goes through USE_MAIN_CONTEXT_DEFAULT_LOADER, which
  // prints an ExperimentalWarning; packages the bundle leaves out (scripts/bundle.mjs) are
  // imported through this module instead (src/util/import-esm.ts).
  (globalThis as Record<symbol, unknown>)[Symbol.for('berth.import')] ??= (specifier: string): Promise<unknown> => import(specifier);
  const module = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
}
