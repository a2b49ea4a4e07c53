#!/usr/bin/env node
// Bundles the compiled CLI (dist/src) into dist/bundle/cli/ with esbuild: the CLI's and the
// supervisor's entries, each one CommonJS file that bin/berth (and the supervisor-main.js
// written here) run through src/cli/bundle-loader.ts with a V8 code cache per command. One
// file instead of ~125 modules, and the functions a command runs come compiled from the
// cache: ~40 ms off `up`, ~15 ms off `down`. A command listed in COMMANDS below also gets a
// bundle of its own, dist/bundle/<key>/main.cjs, holding only what it can reach. bin/berth
// uses the bundles when they are at least as new as dist/src, else dist/src. The bundle sits at the same depth as dist/src/<dir>/,
// so the paths its modules derive from import.meta (native/build, package.json) resolve the
// same. The ink renderer (ui/ink.js) and the dashboard (ui/dashboard/index.js) stay ES modules
// loaded from dist/src: ink's layout engine uses top-level await, which CommonJS cannot load.
// Usage: node scripts/bundle.mjs   (after `tsc -p .`; a no-op with a note without esbuild)
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const bundleDir = join(root, 'dist', 'bundle');
const outdir = join(bundleDir, 'cli');
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  process.stderr.write('bundle: esbuild is not installed; bin/berth runs dist/src unbundled\n');
  process.exit(0);
}
// the code caches (<bundle dir>/cache/) go with the bundle they were made from
rmSync(bundleDir, { recursive: true, force: true });
const inkFromSrc = {
  name: 'ink-from-src',
  setup(build) {
    build.onResolve({ filter: /^\.\/(ink|dashboard\/index)\.js$/ }, (args) =>
      args.importer.endsWith('/dist/src/ui/index.js') ? { path: `../../src/ui/${args.path.slice(2)}`, external: true } : undefined,
    );
  },
};
const options = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node22',
  entryNames: '[name]',
  outExtension: { '.js': '.cjs' },
  logLevel: 'warning',
  // ink's optional devtools integration (only with DEV=true) is not shipped; the Kubernetes
  // models and client (only `berth convert`/`deploy --to kubernetes` load them) stay ES
  // modules in node_modules: bundled, every command would read them, and their `punycode`
  // would resolve to Node's deprecated built-in
  external: ['react-devtools-core', 'kubernetes-models', '@kubernetes/client-node'],
  // bundle-loader.ts runs each file with __filename and __dirname, as Node runs CommonJS
  define: { 'import.meta.dirname': '__dirname', 'import.meta.url': '__berth_url' },
  banner: { js: "const __berth_url = require('node:url').pathToFileURL(__filename).href;" },
};
// bin/berth's own helper (cli/bundle-loader.ts) as a CommonJS file: a require() of the ES
// module from dist/src goes through the ES module resolver (realpath, package scope lookups).
// Made before the bundles: bin/berth takes a bundle's presence for this file's.
const launch = join(bundleDir, 'launch.cjs');
await esbuild.build({
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node22',
  logLevel: 'warning',
  stdin: {
    contents: "export { commandKey, enableNodeCompileCache, runBundle } from './dist/src/cli/bundle-loader.js';\n",
    resolveDir: root,
    sourcefile: 'launch.js',
  },
  outfile: launch,
});
await Promise.all([
  esbuild.build({ ...options, entryPoints: [join(root, 'dist/src/main.js')], outdir, plugins: [inkFromSrc] }),
  // The supervisor stays for the project's whole life and keeps its source text in memory:
  // minified (names kept, for errors and logs), 550 -> 310 KB, ~0.4 MB less of its USS.
  esbuild.build({ ...options, entryPoints: [join(root, 'dist/src/engine/supervisor-main.js')], outdir, plugins: [inkFromSrc], minify: true, keepNames: true }),
]);

// Bundles of one command (dist/bundle/<command key>/main.cjs, the key of cli/bundle-loader.ts),
// which bin/berth runs instead of the whole CLI: the same entry, with every dynamic import that
// command cannot reach left out. A start reads and checks a quarter of the source and a code
// cache half the size (every top-level function of the bundle is in its cache, run or not).
// What a command can reach: of the command table (cli/commands/index.ts) its own module, of the
// backend (main.ts) the parts named, of src/load.ts the parts named; everything else each of
// those imports is bundled as usual. A left-out module throws when loaded (a test runs the
// command through bin/berth in every mode, so a new load the list lacks shows there).
const COMMANDS = {
  // no command: --version, --help, the command list
  berth: { commands: [], backend: [], load: [] },
  'container-run': {
    commands: ['./container/run.js'],
    backend: ['./objects/index.js'],
    // as src/objects/containers.ts's run() and objects/container-config.ts load them
    load: [
      './runtime/context.js',
      './runtime/foreground.js',
      './runtime/create.js',
      './runtime/state.js',
      './runtime/kill.js',
      './runtime/wait.js',
      './runtime/delete.js',
      './runtime/user.js',
      './image/index.js',
      './image/list.js',
      './image/hold.js',
      './image/reference.js',
      './image/store.js',
    ],
  },
};
const onlyWhatItReaches = (key, reach) => ({
  name: 'only-what-it-reaches',
  setup(build) {
    const allowed = { 'cli/commands/index.js': reach.commands, 'main.js': reach.backend, 'load.js': reach.load };
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const from = Object.keys(allowed).find((f) => args.importer.endsWith(`/dist/src/${f}`));
      if (from === undefined || allowed[from].includes(args.path)) return undefined;
      return { path: `${from}:${args.path}`, namespace: 'left-out' };
    });
    build.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => ({
      contents: `import { BerthError } from ${JSON.stringify(join(root, 'dist/src/errors.js'))};\nthrow new BerthError('internal/bundle', ${JSON.stringify(`${args.path} is not in the bundle of ${key === 'berth' ? 'berth without a command' : `berth ${key.replace('-', ' ')}`} (scripts/bundle.mjs)`)});\n`,
      loader: 'js',
      resolveDir: root,
    }));
  },
});
for (const [key, reach] of Object.entries(COMMANDS)) {
  await esbuild.build({ ...options, entryPoints: [join(root, 'dist/src/main.js')], outdir: join(bundleDir, key), plugins: [inkFromSrc, onlyWhatItReaches(key, reach)] });
}

// A bundle must be ASCII: one character above 0x7f makes V8 hold the whole source as a
// two-byte string, which costs ~5 ms of every start (decoding it, and the code cache checked
// against it). esbuild escapes strings, not regular expressions: write \u00b5 there.
for (const file of [launch, join(outdir, 'main.cjs'), join(outdir, 'supervisor-main.cjs'), ...Object.keys(COMMANDS).map((k) => join(bundleDir, k, 'main.cjs'))]) {
  const text = readFileSync(file, 'utf8');
  const at = text.search(/[^\x00-\x7f]/);
  if (at !== -1) {
    const line = text.slice(0, at).split('\n').length;
    process.stderr.write(`bundle: ${file}:${line} has a non-ASCII character (${JSON.stringify(text.slice(at - 30, at + 10))}): escape it in the source (\\uXXXX)\n`);
    process.exit(1);
  }
}
// the supervisor is started as `node <dir of supervisor-client>/supervisor-main.js PROJECT`;
// it runs until `down` kills it, so its cache is written once it has started (200 ms)
writeFileSync(
  join(outdir, 'supervisor-main.js'),
  "import { runBundle } from '../../src/cli/bundle-loader.js';\nrunBundle(new URL('./supervisor-main.cjs', import.meta.url), 'supervisor', { writeAfterMs: 200 });\n",
);
