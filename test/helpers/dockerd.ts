/**
 * A private dockerd for swarm tests: its own socket, data root and exec root, started by
 * the test and stopped by its PID, under `flock /tmp/berth-dockerd.lock` (other helpers
 * and tests use dockerd on this host too). dockerd changes host networking and leaves it
 * changed (FORWARD policy, ip_forward, DOCKER chains, docker_gwbridge): saved before,
 * restored after, as ../shared/peers/daemons.sh does. No registry: the busybox image is
 * made from Debian's busybox-static and `docker import`ed.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { poll } from './poll.js';

export const LOCK_FILE = '/tmp/berth-dockerd.lock';

export function dockerSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root';
  for (const bin of ['/usr/sbin/dockerd', '/usr/bin/docker', '/usr/bin/flock', '/bin/busybox']) {
    if (!existsSync(bin)) return `${bin} is not installed (apt-get install docker.io busybox-static)`;
  }
  return undefined;
}

export interface TestDockerd {
  readonly socket: string;
  /** Runs the docker CLI against this daemon; returns stdout (throws with stderr on failure). */
  docker(args: readonly string[], env?: Readonly<Record<string, string>>): string;
  /** How long the lock was waited for (other helpers' dockerd). */
  readonly lockWaitMs: number;
  /** Leaves the swarm, stops dockerd by PID, restores the host network, releases the lock. */
  stop(): Promise<void>;
}

const sh = (cmd: string, args: readonly string[]): { ok: boolean; out: string } => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
};

async function takeLock(): Promise<ChildProcess> {
  // `cat` holds the lock until its stdin closes: when the test ends, or dies
  const holder = spawn('flock', ['-w', '900', LOCK_FILE, 'sh', '-c', 'echo locked; exec cat'], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    holder.stdout!.once('data', () => resolve());
    holder.once('exit', (code) => reject(new Error(`flock ${LOCK_FILE} exited ${code}`)));
  });
  return holder;
}

/** A busybox rootfs tar (one symlink per applet), for `docker import`. */
export function busyboxTar(dir: string): string {
  const root = join(dir, 'rootfs');
  for (const d of ['bin', 'etc', 'tmp', 'www', 'data', 'run']) mkdirSync(join(root, d), { recursive: true });
  execFileSync('cp', ['/bin/busybox', join(root, 'bin', 'busybox')]);
  for (const applet of execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean)) {
    if (applet !== 'busybox') symlinkSync('busybox', join(root, 'bin', applet));
  }
  writeFileSync(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
  writeFileSync(join(root, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
  const tar = join(dir, 'bb.tar');
  execFileSync('tar', ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '-C', root, '-cf', tar, '.']);
  return tar;
}

export async function startDockerd(name: string): Promise<TestDockerd> {
  const asked = Date.now();
  const lock = await takeLock();
  const lockWaitMs = Date.now() - asked;
  const run = `/run/${name}`;
  const dataRoot = `/var/lib/${name}`;
  mkdirSync(run, { recursive: true });
  const socket = join(run, 'docker.sock');
  const saved = {
    forward: /^-P FORWARD (\w+)/m.exec(sh('iptables', ['-S', 'FORWARD']).out)?.[1],
    ipForward: readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim(),
  };
  const log = openSync(join(run, 'dockerd.log'), 'a');
  const daemon = spawn(
    'dockerd',
    ['--host', `unix://${socket}`, '--data-root', dataRoot, '--exec-root', join(run, 'exec'), '--pidfile', join(run, 'dockerd.pid'), '--storage-driver', 'overlay2', '--bridge', 'none'],
    { stdio: ['ignore', log, log] },
  );
  closeSync(log);
  const docker = (args: readonly string[], env: Readonly<Record<string, string>> = {}): string => {
    const r = spawnSync('docker', ['-H', `unix://${socket}`, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
    if (r.status !== 0) throw new Error(`docker ${args.join(' ')}: ${r.stderr.trim()}`);
    return r.stdout;
  };
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    sh('docker', ['-H', `unix://${socket}`, 'swarm', 'leave', '--force']);
    if (daemon.exitCode === null && daemon.pid !== undefined) {
      daemon.kill('SIGTERM');
      await poll('dockerd to exit', () => daemon.exitCode !== null || daemon.signalCode !== null, 30_000).catch(() => daemon.kill('SIGKILL'));
    }
    // the host as it was: dockerd's bridges, chains, netns mounts, state
    sh('ip', ['link', 'del', 'docker_gwbridge']);
    for (const table of ['filter', 'nat']) {
      const rules = sh('iptables', ['-t', table, '-S']).out.split('\n');
      for (const r of rules.filter((l) => l.startsWith('-A') && /-j DOCKER|docker_gwbridge|DOCKER-/.test(l))) sh('iptables', ['-t', table, ...r.replace(/^-A/, '-D').split(' ')]);
      const chains = rules.filter((l) => l.startsWith('-N DOCKER')).map((l) => l.split(' ')[1]!);
      for (const c of chains) sh('iptables', ['-t', table, '-F', c]);
      for (const c of chains) sh('iptables', ['-t', table, '-X', c]);
    }
    if (saved.forward) sh('iptables', ['-P', 'FORWARD', saved.forward]);
    writeFileSync('/proc/sys/net/ipv4/ip_forward', saved.ipForward);
    const netns = join(run, 'exec', 'netns');
    if (existsSync(netns)) for (const f of readdirSync(netns)) sh('umount', ['-l', join(netns, f)]);
    sh('umount', ['-l', join(run, 'exec')]);
    rmSync(run, { recursive: true, force: true });
    rmSync(dataRoot, { recursive: true, force: true });
    lock.stdin!.end();
  };
  // a test killed from outside still stops its daemon (and only then frees the lock)
  const onSignal = (): void => {
    void stop().finally(() => process.exit(143));
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    await poll(
      'dockerd to answer',
      () => {
        if (daemon.exitCode !== null) throw new Error(`dockerd exited: ${readFileSync(join(run, 'dockerd.log'), 'utf8').trim().split('\n').slice(-3).join(' | ')}`);
        return sh('docker', ['-H', `unix://${socket}`, 'info']).ok;
      },
      60_000,
    );
    docker(['swarm', 'init', '--advertise-addr', '127.0.0.1']);
    const dir = mkdtempSync(join(tmpdir(), `${name}-img-`));
    const tar = busyboxTar(dir);
    docker(['import', '--change', 'CMD ["/bin/sh"]', '--change', 'ENV PATH=/bin', tar, 'berth-deploy-bb:1']);
    docker(['import', '--change', 'CMD ["/bin/sh"]', '--change', 'ENV PATH=/bin', '--change', 'ENV BB_VERSION=2', tar, 'berth-deploy-bb:2']);
    rmSync(dir, { recursive: true, force: true });
  } catch (err) {
    await stop();
    throw err;
  }
  return { socket, docker, stop, lockWaitMs };
}
