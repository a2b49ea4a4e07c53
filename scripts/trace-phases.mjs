#!/usr/bin/env node
// Where a berth command's time goes: runs `berth ARGS` --reps times with BERTH_TRACE=1 (each
// run preceded by `berth BEFORE`, e.g. `up -d` before `down`) and prints the median time of
// every trace mark and the gap to the previous one.
// Usage: node scripts/trace-phases.mjs [--reps 8] [--before "up -d"] -- down
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const argv = process.argv.slice(2);
const sep = argv.indexOf('--');
const opts = sep === -1 ? argv : argv.slice(0, sep);
const args = sep === -1 ? [] : argv.slice(sep + 1);
const opt = (name, def) => (opts.includes(`--${name}`) ? opts[opts.indexOf(`--${name}`) + 1] : def);
const reps = Number(opt('reps', '8'));
const before = opt('before', '');
const berth = process.env.BB_BIN ?? join(import.meta.dirname, '..', 'bin', 'berth');
const runs = [];
for (let i = 0; i < reps; i++) {
  if (before) spawnSync(berth, before.split(' '), { stdio: 'ignore' });
  const t0 = performance.now();
  const r = spawnSync(berth, args, { env: { ...process.env, BERTH_TRACE: '1' }, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const wall = performance.now() - t0;
  const marks = [...r.stderr.matchAll(/^berth-trace ([\d.]+) (.*)$/gm)].map((m) => [m[2], Number(m[1])]);
  runs.push([...marks, ['wall (spawn to reaped)', wall]]);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// marks are matched by label (their order may differ between runs), listed by median time
const labels = [...new Set(runs.flatMap((r) => r.map(([l]) => l)))];
const rows = labels.map((l) => [l, median(runs.map((r) => r.find(([x]) => x === l)?.[1]).filter((v) => v !== undefined))]).sort((a, b) => a[1] - b[1]);
let prev = 0;
for (const [label, v] of rows) {
  console.log(`${v.toFixed(1).padStart(8)} ms  +${(v - prev).toFixed(1).padStart(6)}  ${label}`);
  prev = v;
}
