// bench/deploy-swarm: `berth deploy --to swarm` of the deploy fixture (fixtures/deploy/stack:
// web with a healthcheck + 2 workers, an overlay network, a volume, a secret, a config)
// vs `docker stack deploy` of the same file (as compose v3: no `name`, depends_on as a
// list), on a private one-node swarm this bench starts and stops by PID (the tests'
// helper, under flock /tmp/berth-dockerd.lock). Measured: from the command's start until
// every task runs (berth waits itself; for docker stack the bench polls the tasks, the
// same poll also runs after berth). Each round removes the stack and waits for its
// containers to go. Prints medians and the ratio.
// Usage (root): node dist/bench/deploy-swarm.js [--reps 3]
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeStackFile } from '../test/deploy/fixtures.js';
import { dockerSkipReason, startDockerd, type TestDockerd } from '../test/helpers/dockerd.js';
import { freePort } from '../test/helpers/registry.js';

const argNum = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : Number(process.argv[i + 1]);
};
const REPS = argNum('reps', 3);
const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'berth');

const skip = dockerSkipReason();
if (skip) {
  console.log(`bench/deploy-swarm: skipped: ${skip}`);
  process.exit(0);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function until(what: string, check: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function allRunning(d: TestDockerd, ns: string, want: number): boolean {
  const states = d.docker(['stack', 'ps', '--filter', 'desired-state=running', '--format', '{{.CurrentState}}', ns]).split('\n').filter(Boolean);
  return states.length === want && states.every((s) => s.startsWith('Running'));
}

async function removeStack(d: TestDockerd, ns: string): Promise<void> {
  d.docker(['stack', 'rm', ns]);
  await until(`${ns} to go`, () => d.docker(['ps', '-aq', '--filter', `label=com.docker.stack.namespace=${ns}`]).trim() === '');
  for (const v of d
    .docker(['volume', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${ns}`])
    .split('\n')
    .filter(Boolean))
    d.docker(['volume', 'rm', v]);
  await until(`${ns} networks to go`, () => d.docker(['network', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${ns}`]).trim() === '');
}

const dir = mkdtempSync(join(tmpdir(), 'berth-bench-deploy-'));
cpSync(join(ROOT, 'fixtures', 'deploy', 'stack'), dir, { recursive: true });
const stackFile = writeStackFile(dir);

const d = await startDockerd(`berth-bench-deploy-${process.pid}`);
try {
  const env = { ...process.env, DOCKER_HOST: `unix://${d.socket}`, IMAGE: 'berth-deploy-bb:1', WORKERS: '2', WEB_PORT: String(await freePort()), BERTH_PROGRESS: 'quiet' };
  const berth: number[] = [];
  const stack: number[] = [];
  for (let i = 0; i < REPS + 1; i++) {
    const ns = `bench${i}`;
    let t0 = performance.now();
    const r = spawnSync(process.execPath, [BIN, '-p', ns, 'deploy', '--to', 'swarm'], { cwd: dir, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`berth deploy: ${r.stderr}`);
    await until('berth tasks to run', () => allRunning(d, ns, 3));
    const tb = performance.now() - t0;
    await removeStack(d, ns);
    t0 = performance.now();
    d.docker(['stack', 'deploy', '--resolve-image', 'never', '-c', stackFile, `${ns}s`], env as Record<string, string>);
    await until('docker stack tasks to run', () => allRunning(d, `${ns}s`, 3));
    const ts = performance.now() - t0;
    await removeStack(d, `${ns}s`);
    if (i > 0) {
      berth.push(tb);
      stack.push(ts); // the first round warms both (image layers, overlay network setup)
    }
  }
  const b = median(berth);
  const s = median(stack);
  console.log(`| deploy to swarm, until every task runs (median of ${REPS}) | berth | docker stack deploy | ratio |`);
  console.log('|---|---|---|---|');
  console.log(`| fixtures/deploy/stack (web + healthcheck, 2 workers, overlay, volume, secret, config) | ${(b / 1000).toFixed(2)} s | ${(s / 1000).toFixed(2)} s | ${(s / b).toFixed(2)}x |`);
  console.log('note: berth creates the worker only once web is healthy (depends_on); docker stack starts all at once');
} finally {
  await d.stop();
  rmSync(dir, { recursive: true, force: true });
}
