// Runs the benchmarks (each prints its own table with peers side by side and ratios).
// Usage: npm run bench [-- name...]   e.g. npm run bench -- config runtime
// Benchmarks are never part of `npm test`: timed results belong here, not in assertions.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const all = ['config', 'runtime', 'pull', 'network', 'up-down', 'watch', 'real-pull', 'real-stack', 'memory', 'deploy-swarm', 'dashboard'];
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : all;
const unknown = chosen.filter((n) => !all.includes(n));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; choose from: ${all.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of chosen) {
  console.log(`\n## bench/${name}`);
  const res = spawnSync(process.execPath, [join(import.meta.dirname, '..', 'dist', 'bench', `${name}.js`)], { stdio: 'inherit' });
  if (res.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
