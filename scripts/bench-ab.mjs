// Interleaved A/B of one benchmark: the code at BASE (a git revision, built once in a
// worktree under /tmp) against this checkout, in alternating rounds of one run, so that
// machine noise falls on both sides alike. Every table row of the bench whose label names
// berth is compared by its first number (the bench's median), and the ratio printed.
// Usage (root): node scripts/bench-ab.mjs --base REV [--rounds 5] BENCH [bench args...]
//   e.g. node scripts/bench-ab.mjs --base 749f3f2 runtime --reps 20 --no-peers
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const argv = process.argv.slice(2);
const take = (flag, def) => {
  const i = argv.indexOf(flag);
  if (i === -1) return def;
  return argv.splice(i, 2)[1];
};
const base = take('--base');
const rounds = Number(take('--rounds', '5'));
const [bench, ...args] = argv;
if (!base || !bench) {
  console.error('usage: node scripts/bench-ab.mjs --base REV [--rounds N] BENCH [bench args...]');
  process.exit(2);
}
const head = join(import.meta.dirname, '..');
const rev = execFileSync('git', ['-C', head, 'rev-parse', '--short', base], { encoding: 'utf8' }).trim();
const baseDir = `/tmp/berth-ab-${rev}`;
if (!existsSync(join(baseDir, 'dist', 'bench'))) {
  console.log(`# building ${rev} in ${baseDir}`);
  if (!existsSync(baseDir)) execFileSync('git', ['-C', head, 'worktree', 'add', '--detach', baseDir, rev], { stdio: 'inherit' });
  execFileSync('npm', ['ci'], { cwd: baseDir, stdio: 'inherit' });
  execFileSync('npm', ['run', 'build'], { cwd: baseDir, stdio: 'inherit' });
}

/** label -> values, from the rows of one run's tables that name berth. */
function rows(out, into) {
  for (const line of out.split('\n')) {
    const cells = line.trim().split(/\s{2,}/);
    const value = cells
      .slice(1)
      .map(Number)
      .find((n) => Number.isFinite(n));
    if (!/berth/.test(cells[0] ?? '') || value === undefined) continue;
    (into.get(cells[0]) ?? into.set(cells[0], []).get(cells[0])).push(value);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sides = { base: new Map(), head: new Map() };
for (let r = 0; r < rounds; r++) {
  for (const [side, dir] of r % 2
    ? [
        ['head', head],
        ['base', baseDir],
      ]
    : [
        ['base', baseDir],
        ['head', head],
      ]) {
    const res = spawnSync(process.execPath, [join(dir, 'dist', 'bench', `${bench}.js`), ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (res.status !== 0) {
      console.error(`${side} run ${r + 1} failed:\n${res.stdout}\n${res.stderr}`);
      process.exit(1);
    }
    rows(res.stdout, sides[side]);
  }
  console.log(`# round ${r + 1}/${rounds} done`);
}
console.log(`\nbench/${bench} A/B, ${rounds} interleaved rounds: base ${rev} vs this checkout (median of the rounds' medians)`);
console.log(`${'case'.padEnd(80)} ${'base'.padStart(9)} ${'head'.padStart(9)} ${'head/base'.padStart(9)}`);
for (const [label, b] of sides.base) {
  const h = sides.head.get(label);
  if (!h) continue;
  console.log(`${label.slice(0, 80).padEnd(80)} ${median(b).toFixed(1).padStart(9)} ${median(h).toFixed(1).padStart(9)} ${(median(h) / median(b)).toFixed(3).padStart(9)}`);
}
