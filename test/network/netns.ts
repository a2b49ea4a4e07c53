// Test-only helpers for the real-kernel network tests. The test process re-executes itself
// inside a fresh network namespace (so the real host is untouched: its links, nft tables,
// sysctls), and "containers" are stand-in processes in their own net+mount namespaces
// (`unshare -n -m`, allowed in tests), with /etc/resolv.conf and /etc/hosts bind-mounted.
import { spawn, spawnSync, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { relayPath } from '../../src/network/netlink/relay.js';
import { poll } from '../helpers/poll.js';

/**
 * uvu's test for async kernel tests: uvu's reporter treats an error's `details` as a diff
 * (BerthError has an object there), so non-assertion errors are rethrown as plain ones.
 */
export const test = Object.assign(
  (name: string, fn: () => Promise<void>) =>
    uvuTest(name, async () => {
      try {
        await fn();
      } catch (e) {
        if (e instanceof assert.Assertion) throw e;
        const err = e as Error & { code?: string };
        throw new Error(`${err.code ? `[${err.code}] ` : ''}${err.message}\n${err.stack ?? ''}`);
      }
    }),
  { after: uvuTest.after, run: uvuTest.run },
);

/** Why the network kernel tests cannot run (the relay not built, a tool missing), or undefined. */
export function missingTools(tools: readonly string[]): string | undefined {
  try {
    relayPath();
  } catch {
    return 'native/build/berth-net not built';
  }
  return tools.filter((t) => !existsSync(t)).map((t) => `${t} missing`)[0];
}

const INNER = 'BERTH_NET_TEST_INNER';

/**
 * In the outer process: re-runs `file` under `unshare -n` and exits with its status.
 * In the inner process: returns (loopback brought up by the caller's first netlink use).
 */
export function runInOwnNetns(file: string): void {
  if (process.env[INNER]) return;
  const r = spawnSync('unshare', ['--net', process.execPath, file], { stdio: 'inherit', env: { ...process.env, [INNER]: '1' } });
  process.exit(r.status ?? 1);
}

export function sh(cmd: string, args: readonly string[], timeoutMs = 10_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() });
    });
  });
}

export interface FakeContainer {
  readonly name: string;
  readonly pid: number;
  readonly netnsPath: string;
  /** Runs a command inside its net+mount namespaces. */
  exec(args: readonly string[], timeoutMs?: number): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Starts a long-running command inside (a server); killed by stop(). */
  spawn(args: readonly string[]): ChildProcess;
  stop(): Promise<void>;
}

const myNetns = (): string => readlinkSync('/proc/self/ns/net');

/** A process in new net+mount namespaces with resolv.conf/hosts from `files` bind-mounted. */
export async function startFakeContainer(dir: string, name: string, files: { resolvConf: string; hosts: string }): Promise<FakeContainer> {
  mkdirSync(dir, { recursive: true });
  const rc = join(dir, `${name}.resolv.conf`);
  const hosts = join(dir, `${name}.hosts`);
  writeFileSync(rc, files.resolvConf);
  writeFileSync(hosts, files.hosts);
  const child = spawn('unshare', ['-n', '-m', 'sh', '-c', `mount --bind ${rc} /etc/resolv.conf && mount --bind ${hosts} /etc/hosts && exec sleep 1000`], { stdio: 'ignore' });
  const pid = child.pid!;
  const mine = myNetns();
  await poll('the fake container to be in its namespaces', () => readlinkSync(`/proc/${pid}/ns/net`) !== mine && readlinkSync(`/proc/${pid}/exe`).endsWith('sleep'), 1000, 5).catch(() => undefined);
  const servers: ChildProcess[] = [];
  const nsArgs = ['-t', String(pid), '-n', '-m'];
  return {
    name,
    pid,
    netnsPath: `/proc/${pid}/ns/net`,
    exec: (args, timeoutMs) => sh('nsenter', [...nsArgs, ...args], timeoutMs),
    spawn(args) {
      const c = spawn('nsenter', [...nsArgs, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
      servers.push(c);
      return c;
    },
    async stop() {
      for (const s of servers) s.kill('SIGKILL');
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await gone;
      }
    },
  };
}

/** A node echo server script: replies `<client address> <data>` on TCP and UDP `port`. */
export const ECHO_SERVER = `
const net = require('node:net'), dgram = require('node:dgram');
const port = Number(process.argv[1]);
net.createServer((c) => c.on('data', (d) => c.end(c.remoteAddress + ' ' + d))).listen(port, '0.0.0.0');
const u = dgram.createSocket('udp4');
u.on('message', (m, r) => u.send(Buffer.from(r.address + ' ' + m), r.port, r.address));
u.bind(port, '0.0.0.0', () => console.log('ready'));
`;

/** A node client script: `tcp|udp host port message` -> prints the reply. */
export const ECHO_CLIENT = `
const net = require('node:net'), dgram = require('node:dgram');
const [proto, host, port, msg] = process.argv.slice(1);
setTimeout(() => { console.log('timeout'); process.exit(3); }, 3000);
if (proto === 'tcp') {
  const c = net.connect(Number(port), host, () => c.write(msg));
  let out = ''; c.on('data', (d) => out += d); c.on('end', () => { console.log(out); process.exit(0); });
  c.on('error', (e) => { console.log('error ' + e.code); process.exit(2); });
} else {
  const u = dgram.createSocket('udp4');
  u.on('message', (m) => { console.log(String(m)); process.exit(0); });
  u.send(Buffer.from(msg), Number(port), host);
}
`;

/** Waits for a child's stdout to print `ready`. */
export function ready(c: ChildProcess, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('server did not start')), timeoutMs);
    c.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) {
        clearTimeout(t);
        resolve();
      }
    });
  });
}
