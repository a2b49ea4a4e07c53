#!/usr/bin/env node
// Bundles the compiled CLI (dist/src) into dist/bundle/cli/ with esbuild: the CLI's and the
// supervisor's entries, each one CommonJS file that bin/berth (and the supervisor-main.js
// written here) run through src/cli/bundle-loader.ts with a V8 code cache per command. One
// file instead of ~125 modules, and the functions a command runs come compiled from the
// cache: ~40 ms off `up`, ~15 ms off `down`. bin/berth uses the bundle when it is at least
// as new as dist/src, else dist/src. The bundle sits at the same depth as dist/src/<dir>/,
// so the paths its modules derive from import.meta (native/build, package.json) resolve the
// same. The ink renderer (ui/ink.js) and the dashboard (ui/dashboard/index.js) stay ES modules
// loaded from dist/src: ink's layout engine uses top-level await, which CommonJS cannot load.
// Usage: node scripts/bundle.mjs   (after `tsc -p .`; a no-op with a note without esbuild)
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const outdir = join(root, 'dist', 'bundle', 'cli');
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  process.stderr.write('bundle: esbuild is not installed; bin/berth runs dist/src unbundled\n');
  process.exit(0);
}
// the code caches (outdir/cache/) go with the bundle they were made from
rmSync(outdir, { recursive: true, force: true });
const inkFromSrc = {
  name: 'ink-from-src',
  setup(build) {
    build.onResolve({ filter: /^\.\/(ink|dashboard\/index)\.js$/ }, (args) =>
      args.importer.endsWith('/dist/src/ui/index.js') ? { path: `../../src/ui/${args.path.slice(2)}`, external: true } : undefined,
    );
  },
};
await esbuild.build({
  entryPoints: [join(root, 'dist/src/main.js'), join(root, 'dist/src/engine/supervisor-main.js')],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node22',
  outdir,
  entryNames: '[name]',
  outExtension: { '.js': '.cjs' },
  logLevel: 'warning',
  plugins: [inkFromSrc],
  // ink's optional devtools integration (only with DEV=true) is not shipped; the Kubernetes
  // models and client (only `berth convert`/`deploy --to kubernetes` load them) stay ES
  // modules in node_modules: bundled, every command would read them, and their `punycode`
  // would resolve to Node's deprecated built-in
  external: ['react-devtools-core', 'kubernetes-models', '@kubernetes/client-node'],
  // bundle-loader.ts runs each file with __filename and __dirname, as Node runs CommonJS
  define: { 'import.meta.dirname': '__dirname', 'import.meta.url': '__berth_url' },
  banner: { js: "const __berth_url = require('node:url').pathToFileURL(__filename).href;" },
});
// the supervisor is started as `node <dir of supervisor-client>/supervisor-main.js PROJECT`;
// it runs until `down` kills it, so its cache is written once it has started (200 ms)
writeFileSync(
  join(outdir, 'supervisor-main.js'),
  "import { runBundle } from '../../src/cli/bundle-loader.js';\nrunBundle(new URL('./supervisor-main.cjs', import.meta.url), 'supervisor', { writeAfterMs: 200 });\n",
);
