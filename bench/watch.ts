// bench/watch: change-to-visible latency of `berth watch` (action: sync). A host file is
// rewritten; the time until the new content is in the container's writable layer (what a
// process in the container sees) is measured by polling that layer from the host every ms.
// Median of --reps (default 20) with compose's 500 ms quiet period and with a 20 ms one
// (the cost of berth's sync path itself). No peer: `docker compose watch` needs dockerd +
// compose v2, which this machine does not have.
// Usage (root): node dist/bench/watch.js [--reps 20]
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestRegistry } from '../test/helpers/registry.js';
import { createEngine } from '../src/engine/index.js';
import { watchProject } from '../src/watch/index.js';
import type { ProjectSource } from '../src/api/index.js';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : Number(process.argv[i + 1]);
};
const REPS = arg('reps', 20);

if (process.getuid?.() !== 0) {
  console.log('bench/watch: needs root');
  process.exit(0);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const reg = await startTestRegistry();
  const base = mkdtempSync(join(tmpdir(), 'berth-bench-watch-'));
  const dir = join(base, 'benchwatch');
  mkdirSync(join(dir, 'app'), { recursive: true });
  writeFileSync(join(dir, 'app', 'bench.txt'), 'start\n');
  writeFileSync(
    join(dir, 'compose.yaml'),
    [
      'services:',
      '  box:',
      '    image: busybox:1.36',
      `    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]`,
      '    develop:',
      '      watch:',
      '        - { path: ./app, target: /app, action: sync }',
      '',
    ].join('\n'),
  );
  const env = { ...process.env, ...reg.mirrorEnv, BERTH_ROOT: join(base, 'root'), BERTH_RUN: join(base, 'run') };
  const source: ProjectSource = { files: [], envFiles: [], profiles: [], env, cwd: dir };
  const engine = createEngine(env);
  const rows: [string, number, number][] = [];
  try {
    for (const quietPeriodMs of [500, 20]) {
      const ac = new AbortController();
      let ready!: () => void;
      const isReady = new Promise<void>((r) => (ready = r));
      const done = watchProject({ engine, source, signal: ac.signal, quietPeriodMs, onReady: () => ready() });
      await Promise.race([isReady, done]);
      const [c] = await engine.ps({ source });
      const upper = join(env.BERTH_ROOT, 'containers', c!.id, 'upper', 'app', 'bench.txt');
      const times: number[] = [];
      for (let i = 0; i < REPS; i++) {
        const text = `rev ${quietPeriodMs} ${i}\n`;
        const t0 = performance.now();
        writeFileSync(join(dir, 'app', 'bench.txt'), text);
        for (;;) {
          let seen = '';
          try {
            seen = readFileSync(upper, 'utf8');
          } catch {}
          if (seen === text) break;
          if (performance.now() - t0 > 10_000) throw new Error(`change ${i} not visible after 10 s`);
          await new Promise((r) => setTimeout(r, 1));
        }
        times.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, quietPeriodMs + 50)); // next change in a new batch
      }
      ac.abort();
      await done;
      rows.push([`sync, quiet period ${quietPeriodMs} ms`, median(times), Math.min(...times)]);
    }
  } finally {
    await engine.down({ source, volumes: true, timeout: 1 }).catch(() => undefined);
    await reg.stop();
    rmSync(base, { recursive: true, force: true });
  }
  console.log(`berth watch: change-to-visible latency, median of ${REPS}`);
  console.log('case                          median ms   min ms');
  for (const [name, med, min] of rows) console.log(`${name.padEnd(30)}${med.toFixed(1).padStart(9)}${min.toFixed(1).padStart(9)}`);
  console.log(`sync path alone (median, 20 ms period - 20): ${(rows[1]![1] - 20).toFixed(1)} ms`);
}

await main();
