// A loopback OCI registry for tests (Debian's docker-registry), optionally with htpasswd
// basic auth, and a seeded `busybox:1.36` so that an unchanged `image: busybox:1.36`
// resolves offline through BERTH_REGISTRY_MIRRORS.
//
//   const reg = await startTestRegistry();          // seeds library/busybox:1.36
//   process.env.BERTH_REGISTRY_MIRRORS = reg.url;   // or spread reg.mirrorEnv into a child env
//   ...; await reg.stop();
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { poll } from './poll.js';
import { openImageStore, type ImageStore } from '../../src/image/store.js';
import { addLayer, writeImage } from '../../src/image/image-builder.js';
import { pushImage } from '../../src/image/push.js';
import { tarBuffer, type TarWriteHeader } from '../../src/image/tar-writer.js';
import type { ImageConfig, LocalImage, RegistryConfig } from '../../src/image/types.js';

export interface RunningRegistry {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `127.0.0.1:PORT` (use as the registry part of references) */
  readonly host: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export interface TestRegistry extends RunningRegistry {
  /** `{ BERTH_REGISTRY_MIRRORS: url }`: spread into a child's env. */
  readonly mirrorEnv: Readonly<Record<string, string>>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts docker-registry on a random loopback port; with `htpasswd`, basic auth is required. */
/** With `dataDir`, serves an existing storage root (e.g. the real images' cache) instead of an empty one of its own. */
export async function startRegistry(options: { htpasswd?: { user: string; password: string }; dataDir?: string } = {}): Promise<RunningRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-registry-'));
  const port = await freePort();
  let auth = '';
  if (options.htpasswd) {
    const file = join(dir, 'htpasswd');
    execFileSync('htpasswd', ['-Bbc', file, options.htpasswd.user, options.htpasswd.password], { stdio: 'ignore' });
    auth = `auth:\n  htpasswd:\n    realm: berth-test\n    path: ${file}\n`;
  }
  writeFileSync(
    join(dir, 'config.yml'),
    `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${options.dataDir ?? join(dir, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n${auth}`,
  );
  const child: ChildProcess = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(3000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const answered = await poll(
    'docker-registry to answer',
    async () => {
      if (child.exitCode !== null) return 'exited';
      const res = await fetch(`${url}/v2/`); // throws while it is not listening yet: polled again
      await res.body?.cancel();
      return res.status === 200 || res.status === 401 ? 'up' : undefined;
    },
    5000,
    25,
  ).catch(() => undefined);
  if (answered === 'up') return { url, host: `127.0.0.1:${port}`, pid: child.pid!, stop };
  await stop();
  throw new Error(`docker-registry did not start: ${stderr}`);
}

/** Registry settings that reach only loopback (no mirrors, no credentials on disk). */
export function isolatedRegistryConfig(dir: string, extra: Partial<RegistryConfig> = {}): RegistryConfig {
  return { mirrors: [], insecure: [], authFiles: [join(dir, 'auth.json')], loginFile: join(dir, 'auth.json'), ...extra };
}

const BUSYBOX = '/bin/busybox';

/** The entries of a busybox rootfs layer: /bin/busybox, applet symlinks in /bin, /etc/passwd, /etc/group, /var/www, /tmp. */
export function busyboxEntries(): (TarWriteHeader & { data?: Buffer | string })[] {
  const applets = execFileSync(BUSYBOX, ['--list'], { encoding: 'utf8' })
    .split('\n')
    .filter((a) => a && a !== 'busybox')
    .sort();
  const mtime = 1700000000;
  const dir = (name: string, mode = 0o755) => ({ name, type: 'directory' as const, mode, mtime });
  return [
    dir('bin/'),
    { name: 'bin/busybox', type: 'file', mode: 0o755, mtime, data: readFileSync(BUSYBOX) },
    ...applets.map((a) => ({ name: `bin/${a}`, type: 'symlink' as const, mode: 0o777, mtime, linkname: 'busybox' })),
    dir('etc/'),
    {
      name: 'etc/passwd',
      type: 'file',
      mode: 0o644,
      mtime,
      data: 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nwww-data:x:33:33:www-data:/var/www:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n',
    },
    { name: 'etc/group', type: 'file', mode: 0o644, mtime, data: 'root:x:0:\ndaemon:x:1:\nwww-data:x:33:\nnogroup:x:65534:\n' },
    dir('root/', 0o700),
    dir('tmp/', 0o1777),
    dir('var/'),
    dir('var/www/'),
    dir('home/'),
    dir('proc/'),
    dir('sys/'),
    dir('dev/'),
  ];
}

export const BUSYBOX_CONFIG: ImageConfig = {
  Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
  Cmd: ['sh'],
};

async function* once(b: Buffer): AsyncGenerator<Buffer> {
  yield b;
}

/** Builds busybox into `store` under `ref` (one layer). */
export async function buildBusybox(store: ImageStore, ref: string): Promise<LocalImage> {
  const layer = await addLayer(store, once(tarBuffer(busyboxEntries())), `image ${ref} layer 1`);
  return writeImage(store, { layers: [layer], config: BUSYBOX_CONFIG, ref, created: '2023-11-14T22:13:20Z' });
}

/** Starts a plain loopback registry and seeds `library/busybox:1.36` (a docker.io mirror). */
export async function startTestRegistry(): Promise<TestRegistry> {
  const reg = await startRegistry();
  const work = mkdtempSync(join(tmpdir(), 'berth-seed-'));
  try {
    const store = openImageStore(join(work, 'images'));
    const ref = `${reg.host}/library/busybox:1.36`;
    await buildBusybox(store, ref);
    await pushImage(store, ref, { registryConfig: isolatedRegistryConfig(work) });
  } catch (err) {
    await reg.stop();
    throw err;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { ...reg, mirrorEnv: { BERTH_REGISTRY_MIRRORS: reg.url } };
}

/**
 * Pushes a further image to a running test registry: busybox's rootfs plus `extra` entries
 * (files, dirs, symlinks) as a second layer, with its own config (Cmd, Healthcheck, ...).
 * `name` is the repository path as docker.io would see it, e.g. `library/web:1`.
 */
export async function pushTestImage(reg: RunningRegistry, name: string, options: { config?: ImageConfig; extra?: (TarWriteHeader & { data?: Buffer | string })[] } = {}): Promise<LocalImage> {
  const work = mkdtempSync(join(tmpdir(), 'berth-seed-'));
  try {
    const store = openImageStore(join(work, 'images'));
    const ref = `${reg.host}/${name}`;
    const base = await addLayer(store, once(tarBuffer(busyboxEntries())), `image ${ref} layer 1`);
    const layers = [base];
    if (options.extra?.length) layers.push(await addLayer(store, once(tarBuffer(options.extra)), `image ${ref} layer 2`));
    const img = await writeImage(store, { layers, config: { ...BUSYBOX_CONFIG, ...options.config }, ref, created: '2023-11-14T22:13:20Z' });
    await pushImage(store, ref, { registryConfig: isolatedRegistryConfig(work) });
    return img;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
