// Benchmark: load a generated 200-service compose file with `berth config -q` (the whole
// process via bin/berth) and, in the same run, with the peers installed on the machine:
// `docker-compose config -q` (Debian's v1.29) and podman-compose (1.0.x has no `config`
// verb; `--dry-run ps` parses and normalizes the same file without touching podman).
// Prints a table of medians and ratios. Usage: node dist/bench/config.js [runs]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProjectSync } from '../src/spec/load-project.js';
import { generateCompose } from './config-gen.js';

const root = join(import.meta.dirname, '..', '..');
const runs = Number(process.argv[2] ?? 9);
const SERVICES = 200;

function available(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

function time(cmd: string, args: string[], cwd: string): { ms: number; ok: boolean; err: string } {
  const t0 = process.hrtime.bigint();
  const res = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, TAG: '2.0' }, timeout: 120_000, killSignal: 'SIGKILL' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (res.error || res.signal) return { ms, ok: false, err: res.signal ? `killed after ${(ms / 1000).toFixed(0)} s (${res.signal})` : String(res.error) };
  return { ms, ok: res.status === 0, err: (res.stderr ?? '').trim().split('\n').slice(-1)[0] ?? '' };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const dir = mkdtempSync(join(tmpdir(), 'berth-bench-config-'));
try {
  const file = join(dir, 'compose.yaml');
  writeFileSync(file, generateCompose(SERVICES));
  const tools: { name: string; cmd: string; args: string[] }[] = [{ name: 'berth config -q', cmd: process.execPath, args: [join(root, 'bin', 'berth'), '-f', file, 'config', '-q'] }];
  const skipped: string[] = [];
  if (available('docker-compose')) tools.push({ name: 'docker-compose config -q', cmd: 'docker-compose', args: ['-f', file, 'config', '-q'] });
  else skipped.push('docker-compose: not installed');
  if (available('podman-compose')) tools.push({ name: 'podman-compose --dry-run ps', cmd: 'podman-compose', args: ['--dry-run', '-f', file, 'ps'] });
  else skipped.push('podman-compose: not installed');

  const results: { name: string; ms: number; ok: boolean; err: string }[] = [];
  for (const t of tools) {
    time(t.cmd, t.args, dir); // warm the page cache
    const samples: number[] = [];
    let last = { ms: 0, ok: true, err: '' };
    for (let i = 0; i < runs; i++) {
      last = time(t.cmd, t.args, dir);
      samples.push(last.ms);
    }
    results.push({ name: t.name, ms: median(samples), ok: last.ok, err: last.err });
  }
  // the library alone, in-process (no Node start-up)
  const lib: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    loadProjectSync({ files: [file], env: { ...process.env, TAG: '2.0' }, cwd: dir });
    lib.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }

  const berth = results[0]!.ms;
  console.log(`berth config benchmark: ${SERVICES} services, median of ${runs} runs each\n`);
  console.log(`${'command'.padEnd(32)} ${'median ms'.padStart(10)}  ${'vs berth'.padStart(9)}  status`);
  for (const r of results) {
    console.log(`${r.name.padEnd(32)} ${r.ms.toFixed(1).padStart(10)}  ${`${(r.ms / berth).toFixed(2)}x`.padStart(9)}  ${r.ok ? 'ok' : `FAILED: ${r.err}`}`);
  }
  console.log(`${'(berth loader in-process)'.padEnd(32)} ${median(lib).toFixed(1).padStart(10)}`);
  for (const s of skipped) console.log(`skipped: ${s}`);
  const slower = results.slice(1).filter((r) => r.ok && r.ms <= berth);
  if (slower.length > 0) {
    console.log(`\nberth is NOT faster than: ${slower.map((r) => r.name).join(', ')}`);
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
