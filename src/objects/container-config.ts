// The container config from `berth container run|create` flags (ContainerFlags, src/api).
import type { ContainerCreateOptions, ContainerFlags } from '../api/index.js';
import type { LocalImage } from '../image/index.js';
import { UsageError } from '../errors.js';
import type { ContainerConfig, NamespaceMode, ResourcesConfig } from '../runtime/index.js';
import { loadImage, loadRuntimeUser } from '../load.js';
import { parseBytes, parseCpus, parseKeyValues, parseTmpfs, parseUlimit, parseVolume } from './parse.js';
import { berthRoot } from '../util/berth-dirs.js';
const { existsSync, statSync } = process.getBuiltinModule('node:fs');
const { join, resolve } = process.getBuiltinModule('node:path');

export interface RunConfig {
  readonly config: ContainerConfig;
  /** IMAGE mode: the image (a --rootfs container has none). */
  readonly image: LocalImage | undefined;
}

/** `--rootfs DIR` (used directly, as podman) or `DIR:O` (an overlay over it). */
export function rootfsFlag(f: ContainerFlags): { dir: string; overlay: boolean } | undefined {
  const flag = f.rootfs;
  if (flag === undefined) return undefined;
  const overlay = flag.endsWith(':O');
  return { dir: overlay ? flag.slice(0, -2) : flag, overlay };
}

/** Parses the flags and arguments into a finished config (loads, or pulls, the image in IMAGE mode). */
export async function buildRunConfig(o: ContainerCreateOptions, rootEnv: Env, verb: 'run' | 'create'): Promise<RunConfig> {
  const f = o.flags;
  const rootfs = rootfsFlag(f);
  const rootfsDir = rootfs?.dir;
  const overlay = rootfs?.overlay ?? false;
  const image = rootfs === undefined ? await pullFor(o, rootEnv, o.args[0]!, f.pull ?? 'missing') : undefined;
  let layers: readonly string[];
  if (rootfsDir !== undefined) {
    const dir = resolve(o.cwd, rootfsDir);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--rootfs ${f.rootfs}: not a directory`);
    layers = [dir];
  } else layers = image!.layerDirs;
  const cmdArgs = rootfs !== undefined ? o.args : o.args.slice(1);
  const entrypoint = f.entrypoint !== undefined ? [f.entrypoint].filter(Boolean) : (image?.config.Entrypoint ?? []);
  const args = [...entrypoint, ...(cmdArgs.length > 0 ? cmdArgs : f.entrypoint !== undefined ? [] : (image?.config.Cmd ?? []))];
  if (args.length === 0) throw new UsageError(`berth container ${verb}: no command given and the image has none`);
  const network = f.network ?? 'none';
  if (!['none', 'host'].includes(network)) throw new UsageError(`--network ${network}: only none and host are supported by berth container ${verb}`);
  if (f.userns !== undefined && f.userns !== 'auto' && f.userns !== 'host') throw new UsageError(`--userns ${String(f.userns)}: expected auto or host`);
  const sec = f.securityOpt ?? [];
  for (const s of sec) if (!/^(seccomp[=:]unconfined|no-new-privileges(:true|:false|=true|=false)?)$/.test(s)) throw new UsageError(`unsupported --security-opt ${s}`);
  const res: ResourcesConfig = {
    ...(f.memory ? { memory: parseBytes('memory', f.memory) } : {}),
    ...(f.memorySwap ? { memorySwap: f.memorySwap === '-1' ? -1 : parseBytes('memory-swap', f.memorySwap) } : {}),
    ...(f.memoryReservation ? { memoryReservation: parseBytes('memory-reservation', f.memoryReservation) } : {}),
    ...(f.cpus ? parseCpus(f.cpus) : {}),
    ...(f.cpuShares !== undefined ? { cpuShares: f.cpuShares } : {}),
    ...(f.cpusetCpus ? { cpuset: f.cpusetCpus } : {}),
    ...(f.pidsLimit !== undefined ? { pidsLimit: f.pidsLimit } : {}),
  };
  // names are looked up in the rootfs's /etc/passwd only when a user is asked for
  const userSpec = f.user ?? (image?.config.User || undefined);
  const user = userSpec ? (await loadRuntimeUser()).resolveUser(layers, userSpec) : { uid: 0, gid: 0 };
  const id = f.name ?? randomHex(12);
  const netMode: NamespaceMode = network === 'host' ? 'host' : 'new';
  const config: ContainerConfig = {
    id,
    name: id,
    rootfs: rootfsDir !== undefined ? { dir: layers[0]!, mode: overlay ? 'overlay' : 'direct' } : { lowerDirs: layers },
    ...(image ? { image: { id: image.id, name: o.args[0]! } } : {}),
    readOnly: f.readOnly === true,
    process: {
      args,
      env: [...(image?.config.Env ?? []), ...(f.env ?? []).map((e) => (e.includes('=') ? e : `${e}=${o.env[e] ?? ''}`))],
      cwd: f.workdir ?? (image?.config.WorkingDir || '/'),
      user,
      stdin: f.interactive === true,
      tty: f.tty === true,
    },
    ...(f.hostname ? { hostname: f.hostname } : {}),
    ...(f.domainname ? { domainname: f.domainname } : {}),
    devices: (f.device ?? []).map((d) => {
      const [hostPath = '', containerPath, permissions] = d.split(':');
      return { hostPath, ...(containerPath ? { containerPath } : {}), ...(permissions ? { permissions } : {}) };
    }),
    mounts: [...(f.volume ?? []).map((v) => parseVolume(v, o.cwd)), ...(f.tmpfs ?? []).map(parseTmpfs)],
    namespaces: { net: netMode, uts: network === 'host' && !f.hostname ? 'host' : 'new' },
    resources: res,
    capAdd: [...(f.capAdd ?? [])],
    capDrop: [...(f.capDrop ?? [])],
    privileged: f.privileged === true,
    noNewPrivileges: !sec.some((s) => /no-new-privileges[:=]false/.test(s)),
    seccomp: sec.some((s) => s.startsWith('seccomp')) ? 'unconfined' : 'default',
    ulimits: (f.ulimit ?? []).map(parseUlimit),
    sysctls: parseKeyValues('sysctl', f.sysctl ?? []),
    labels: parseKeyValues('label', f.label ?? []),
    init: f.init === true,
    ...(f.shmSize ? { shmSizeBytes: parseBytes('shm-size', f.shmSize) } : {}),
    ...((f.stopSignal ?? image?.config.StopSignal) ? { stopSignal: f.stopSignal ?? image!.config.StopSignal! } : {}),
    ...(f.stopTimeout !== undefined ? { stopTimeoutMs: f.stopTimeout * 1000 } : {}),
    autoRemove: f.rm === true,
    ...(f.userns === 'auto' ? { userns: 'auto' as const } : {}),
  };
  return { config, image };
}

/** A container id without loading node:crypto (CLI start time is part of start latency). */
function randomHex(n: number): string {
  let s = '';
  while (s.length < n)
    s += Math.floor(Math.random() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return s.slice(0, n);
}

type Env = Readonly<Record<string, string | undefined>>;

/** IMAGE mode: the image module is loaded only here (the --rootfs path stays lean). */
async function pullFor(o: ContainerCreateOptions, env: Env, ref: string, pull: string): Promise<LocalImage> {
  if (!['missing', 'always', 'never'].includes(pull)) throw new UsageError(`--pull ${pull}: expected missing, always or never`);
  const { openImageStore, ensureImage, loadRegistryConfig } = await loadImage();
  const store = openImageStore(join(berthRoot(env), 'images'));
  return ensureImage(store, ref, { pullPolicy: pull as 'missing', registryConfig: loadRegistryConfig(env), ...(o.signal ? { signal: o.signal } : {}) });
}
