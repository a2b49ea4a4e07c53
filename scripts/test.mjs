// Runs every compiled test file (dist/test/**/*.test.js) with uvu, one file per process
// so that a kernel test's state cannot leak into another file.
// Usage: node scripts/test.mjs [substring-filter...]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const testRoot = join(root, 'dist', 'test');
const filters = process.argv.slice(2);

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.test.js') ? [p] : [];
  });
}

if (!existsSync(testRoot)) {
  console.error('no compiled tests: run `npm run build` first');
  process.exit(1);
}
const files = walk(testRoot).sort().filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
const failed = [];
const started = Date.now();
for (const file of files) {
  const t0 = Date.now();
  const res = spawnSync(process.execPath, [file], { stdio: 'inherit', cwd: root, env: { ...process.env, FORCE_COLOR: '0' } });
  const rel = relative(root, file);
  if (res.status !== 0) failed.push(rel);
  console.log(`# ${res.status === 0 ? 'ok  ' : 'FAIL'} ${rel} (${Date.now() - t0} ms)`);
}
console.log(`\n# ${files.length - failed.length}/${files.length} test files passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (failed.length) {
  console.log(`# failed:\n${failed.map((f) => `#   ${f}`).join('\n')}`);
  process.exit(1);
}
