// bench/network: per-container network setup + teardown for N containers (default 20):
// berth's netlink path (attachContainer + detachContainer: IPAM lease, veth with the peer
// created inside the container netns, address, links up, loopback, default route, state
// files; then veth delete, lease release) against the same link operations done by `ip`
// commands, in the same run, in a private network namespace (the host is untouched).
// Prints a table with the median of R rounds and the ratio.
// Usage (root): node dist/bench/network.js [--containers 20] [--rounds 3]
import { spawn, spawnSync, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachContainer, detachContainer, ensureNetwork, openNetlink, removeNetwork, type NetworkContext } from '../src/network/index.js';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : Number(process.argv[i + 1]);
};
const N = arg('containers', 20);
const ROUNDS = arg('rounds', 3);

if (process.getuid?.() !== 0) {
  console.log('bench/network: needs root');
  process.exit(0);
}
if (!process.env.BERTH_BENCH_INNER) {
  const r = spawnSync('unshare', ['--net', process.execPath, import.meta.filename, ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, BERTH_BENCH_INNER: '1' } });
  process.exit(r.status ?? 1);
}

interface Holder {
  readonly pid: number;
  readonly child: ChildProcess;
}

/** N processes in fresh network namespaces (untimed: the runtime makes these). */
async function holders(n: number): Promise<Holder[]> {
  const mine = readlinkSync('/proc/self/ns/net');
  const out: Holder[] = [];
  for (let i = 0; i < n; i++) {
    const child = spawn('unshare', ['-n', 'sleep', '1000'], { stdio: 'ignore' });
    out.push({ pid: child.pid!, child });
  }
  for (const h of out) {
    for (let k = 0; k < 400; k++) {
      try {
        if (readlinkSync(`/proc/${h.pid}/ns/net`) !== mine && readlinkSync(`/proc/${h.pid}/exe`).endsWith('sleep')) break;
      } catch {
        // starting
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  }
  return out;
}

async function stop(hs: Holder[]): Promise<void> {
  await Promise.all(
    hs.map(
      (h) =>
        new Promise((r) => {
          if (h.child.exitCode !== null || h.child.signalCode !== null) return r(undefined);
          h.child.once('exit', r);
          h.child.kill('SIGKILL');
        }),
    ),
  );
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const base = mkdtempSync(join(tmpdir(), 'berth-bench-net-'));
  const nl = openNetlink();
  const ctx: NetworkContext = { root: join(base, 'root'), netlink: nl };
  await nl.setUp(await nl.host(), 'lo');
  const net = await ensureNetwork(ctx, { project: 'bench', name: 'bench_default', subnet: '10.77.0.0/16' });
  // The ip path gets its own bridge, so both run the same kernel work.
  const ipBridge = 'bthbenchip';
  execFileSync('ip', ['link', 'add', ipBridge, 'type', 'bridge']);
  execFileSync('ip', ['addr', 'add', '10.78.0.1/16', 'dev', ipBridge]);
  execFileSync('ip', ['link', 'set', ipBridge, 'up']);

  const host = await nl.host();
  /** Waits until no host veth with `prefix` is left (the kernel frees them with the netns). */
  const vethsGone = async (prefix: string): Promise<void> => {
    for (let k = 0; k < 5000; k++) {
      if (!(await nl.listLinks(host)).some((l) => l.kind === 'veth' && l.name.startsWith(prefix))) return;
      await new Promise((r) => setTimeout(r, 1));
    }
    throw new Error(`veths ${prefix}* not freed`);
  };
  type Teardown = 'delete' | 'free';
  const berth = async (round: number, mode: 'seq' | 'par', teardown: Teardown): Promise<number> => {
    const hs = await holders(N);
    const id = (i: number): string => `c${round}${mode}${teardown}${i}`;
    const t0 = performance.now();
    const one = (h: Holder, i: number) => attachContainer(ctx, { containerId: id(i), netnsPath: `/proc/${h.pid}/ns/net`, attachments: [{ network: net.name, names: [`svc${i}`] }] });
    const down = async (i: number): Promise<void> => {
      const r = await detachContainer(ctx, id(i), { keepLinks: teardown === 'free' });
      if (r.errors.length) throw r.errors[0];
    };
    if (mode === 'seq') {
      for (const [i, h] of hs.entries()) await one(h, i);
      for (let i = 0; i < N; i++) await down(i);
    } else {
      await Promise.all(hs.map(one));
      await Promise.all(hs.map((_, i) => down(i)));
    }
    if (teardown === 'free') {
      await stop(hs);
      await vethsGone('bth');
    }
    const ms = performance.now() - t0;
    await stop(hs);
    return ms;
  };
  const ipCommands = async (teardown: Teardown): Promise<number> => {
    const hs = await holders(N);
    for (const [i, h] of hs.entries()) execFileSync('ip', ['netns', 'attach', `bthb${i}`, String(h.pid)]);
    const t0 = performance.now();
    for (let i = 0; i < N; i++) {
      const ns = `bthb${i}`;
      const veth = `bthbv${i}`;
      const ip = `10.78.${1 + Math.floor(i / 250)}.${(i % 250) + 2}`;
      execFileSync('ip', ['link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
      execFileSync('ip', ['link', 'set', veth, 'master', ipBridge, 'up']);
      execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      execFileSync('ip', ['-n', ns, 'addr', 'add', `${ip}/16`, 'dev', 'eth0']);
      execFileSync('ip', ['-n', ns, 'link', 'set', 'eth0', 'up']);
      execFileSync('ip', ['-n', ns, 'route', 'add', 'default', 'via', '10.78.0.1']);
    }
    if (teardown === 'delete') {
      for (let i = 0; i < N; i++) execFileSync('ip', ['link', 'del', `bthbv${i}`]);
    } else {
      for (let i = 0; i < N; i++) execFileSync('ip', ['netns', 'delete', `bthb${i}`]);
      await stop(hs);
      await vethsGone('bthbv');
    }
    const ms = performance.now() - t0;
    if (teardown === 'delete') for (let i = 0; i < N; i++) execFileSync('ip', ['netns', 'delete', `bthb${i}`]);
    await stop(hs);
    return ms;
  };

  const rows: { name: string; group: Teardown; ip?: true; run: (round: number) => Promise<number>; ms: number[] }[] = [
    { name: 'berth netlink, sequential', group: 'delete', run: (r) => berth(r, 'seq', 'delete'), ms: [] },
    { name: 'berth netlink, concurrent', group: 'delete', run: (r) => berth(r, 'par', 'delete'), ms: [] },
    { name: 'ip commands, sequential', group: 'delete', ip: true, run: () => ipCommands('delete'), ms: [] },
    { name: 'berth netlink, sequential', group: 'free', run: (r) => berth(r, 'seq', 'free'), ms: [] },
    { name: 'berth netlink, concurrent', group: 'free', run: (r) => berth(r, 'par', 'free'), ms: [] },
    { name: 'ip commands, sequential', group: 'free', ip: true, run: () => ipCommands('free'), ms: [] },
  ];
  for (let round = 0; round < ROUNDS; round++) for (const row of rows) row.ms.push(await row.run(round));
  await removeNetwork(ctx, net.name);
  execFileSync('ip', ['link', 'del', ipBridge]);
  await nl.close();
  rmSync(base, { recursive: true, force: true });

  console.log(`network setup + teardown, ${N} containers, median of ${ROUNDS} rounds, private netns`);
  console.log('setup = veth (peer inside the netns), enslave + up, lo up, address, eth0 up, default route;');
  console.log('berth also does its IPAM lease + state files. teardown "delete" = explicit veth delete;');
  console.log('"free" = the container netns goes away and the kernel frees the veths (what a stop does).');
  console.log(`${'teardown'.padEnd(9)} ${'path'.padEnd(28)} ${'total ms'.padStart(9)} ${'per ctr ms'.padStart(11)} ${'ip / berth'.padStart(11)}`);
  let slower = false;
  for (const r of rows) {
    const m = median(r.ms);
    const ipMs = median(rows.find((x) => x.ip && x.group === r.group)!.ms);
    if (!r.ip && m >= ipMs) slower = true;
    console.log(`${r.group.padEnd(9)} ${r.name.padEnd(28)} ${m.toFixed(1).padStart(9)} ${(m / N).toFixed(2).padStart(11)} ${`${(ipMs / m).toFixed(2)}x`.padStart(11)}`);
  }
  console.log(slower ? 'berth is SLOWER than ip commands somewhere: regression' : 'berth is faster than ip commands in every row');
  if (slower) process.exitCode = 1;
}

await main();
