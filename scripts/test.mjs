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

function summaryProblem(out) {
  const total = /Total:\s+(\d+)/.exec(out);
  const passed = /Passed:\s+(\d+)/.exec(out);
  const skipped = /Skipped:\s+(\d+)/.exec(out);
  if (!total || !passed) return 'no uvu summary (did the file call test.run()?)';
  const missing = Number(total[1]) - Number(passed[1]) - Number(skipped?.[1] ?? 0);
  return missing > 0 ? `${missing} test(s) did not pass` : undefined;
}

if (!existsSync(testRoot)) {
  console.error('no compiled tests: run `npm run build` first');
  process.exit(1);
}
const files = walk(testRoot)
  .sort()
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
const failed = [];
const started = Date.now();
for (const file of files) {
  const t0 = Date.now();
  const res = spawnSync(process.execPath, [file], {
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: root,
    env: { ...process.env, FORCE_COLOR: '0' },
    maxBuffer: 256 * 1024 * 1024,
  });
  const out = res.stdout?.toString() ?? '';
  process.stdout.write(out);
  const rel = relative(root, file);
  // uvu exits 0 when its reporter itself crashes mid-file: also require a complete summary.
  const problem = res.status !== 0 ? `exit ${res.status ?? res.signal}` : summaryProblem(out);
  if (problem) failed.push(`${rel}: ${problem}`);
  console.log(`# ${problem ? 'FAIL' : 'ok  '} ${rel} (${Date.now() - t0} ms)${problem ? ` (${problem})` : ''}`);
}
console.log(`\n# ${files.length - failed.length}/${files.length} test files passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (failed.length) {
  console.log(`# failed:\n${failed.map((f) => `#   ${f}`).join('\n')}`);
  process.exit(1);
}
