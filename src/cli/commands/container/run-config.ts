// The container config from `berth container run|create` flags (one flag table, one parser).
import type { CommandContext } from '../../command.js';
import type { FlagSpec } from '../../args.js';
import type { LocalImage } from '../../../image/types.js';
import { UsageError } from '../../../errors.js';
import type { ContainerConfig, NamespaceMode, ResourcesConfig } from '../../../runtime/types.js';
import { parseBytes, parseCpus, parseKeyValues, parseTmpfs, parseUlimit, parseVolume, strings } from './parse.js';
import { berthRoot } from '../../../util/berth-dirs.js';
const { existsSync, statSync } = process.getBuiltinModule('node:fs');
const { join, resolve } = process.getBuiltinModule('node:path');

/** The flags of `container create` (`container run` adds -d). */
export const CONTAINER_FLAGS: readonly FlagSpec[] = [
    { name: 'rootfs', type: 'string', value: 'DIR[:O]', help: 'Use DIR as the container\'s root filesystem (as podman: writes go to DIR; DIR:O keeps DIR unchanged, writes go to an overlay)' },
    { name: 'rm', type: 'bool', help: 'Remove the container when it exits' },
    { name: 'pull', type: 'string', value: 'POLICY', help: 'Pull image before running: missing (default), always, never' },
    { name: 'entrypoint', type: 'string', value: 'CMD', help: 'Overwrite the default ENTRYPOINT of the image' },
    { name: 'name', type: 'string', value: 'NAME', help: 'Assign a name to the container' },
    { name: 'env', short: 'e', type: 'list', value: 'KEY=VALUE', help: 'Set environment variables' },
    { name: 'volume', short: 'v', type: 'list', value: 'HOST:CTR[:ro]', help: 'Bind mount a host path' },
    { name: 'tmpfs', type: 'list', value: 'PATH[:OPTS]', help: 'Mount a tmpfs' },
    { name: 'device', type: 'list', value: 'HOST[:CTR[:rwm]]', help: 'Add a host device to the container' },
    { name: 'workdir', short: 'w', type: 'string', value: 'DIR', help: 'Working directory inside the container' },
    { name: 'user', short: 'u', type: 'string', value: 'USER[:GROUP]', help: 'Username or UID (format: <name|uid>[:<group|gid>])' },
    { name: 'hostname', type: 'string', value: 'NAME', help: 'Container host name' },
    { name: 'domainname', type: 'string', value: 'NAME', help: 'Container NIS domain name' },
    { name: 'memory', short: 'm', type: 'string', value: 'BYTES', help: 'Memory limit (e.g. 64m)' },
    { name: 'memory-swap', type: 'string', value: 'BYTES', help: 'Memory + swap limit (-1: unlimited)' },
    { name: 'memory-reservation', type: 'string', value: 'BYTES', help: 'Memory soft limit' },
    { name: 'cpus', type: 'string', value: 'N', help: 'Number of CPUs (e.g. 0.5)' },
    { name: 'cpu-shares', short: 'c', type: 'int', value: 'N', help: 'CPU shares (relative weight)' },
    { name: 'cpuset-cpus', type: 'string', value: 'LIST', help: 'CPUs in which to allow execution (0-1)' },
    { name: 'pids-limit', type: 'int', value: 'N', help: 'Tune the container pids limit (-1 for unlimited)' },
    { name: 'cap-add', type: 'list', value: 'CAP', help: 'Add Linux capabilities' },
    { name: 'cap-drop', type: 'list', value: 'CAP', help: 'Drop Linux capabilities' },
    { name: 'privileged', type: 'bool', help: 'Give extended privileges to this container' },
    { name: 'read-only', type: 'bool', help: 'Mount the container\'s root filesystem as read only' },
    { name: 'init', type: 'bool', help: 'Run an init inside the container that forwards signals and reaps processes' },
    { name: 'network', type: 'string', value: 'MODE', help: 'Network mode: none (default here) or host' },
    { name: 'security-opt', type: 'list', value: 'OPT', help: 'Security options: seccomp=unconfined, no-new-privileges[=false]' },
    { name: 'ulimit', type: 'list', value: 'NAME=SOFT[:HARD]', help: 'Ulimit options (clamped to the host\'s hard limit, with a warning)' },
    { name: 'sysctl', type: 'list', value: 'KEY=VALUE', help: 'Namespaced kernel parameters' },
    { name: 'label', short: 'l', type: 'list', value: 'KEY=VALUE', help: 'Set metadata on the container' },
    { name: 'shm-size', type: 'string', value: 'BYTES', help: 'Size of /dev/shm (default 64m)' },
    { name: 'stop-signal', type: 'string', value: 'SIGNAL', help: 'Signal to stop the container' },
    { name: 'stop-timeout', type: 'int', value: 'SECONDS', help: 'Timeout to stop the container' },
    { name: 'interactive', short: 'i', type: 'bool', help: 'Keep STDIN open' },
    { name: 'tty', short: 't', type: 'bool', help: 'Allocate a pseudo-TTY' },
    { name: 'userns', type: 'string', value: 'MODE', help: 'User namespace: host (default) or auto (root maps to an unprivileged id block)' },
];

export interface RunConfig {
  readonly config: ContainerConfig;
  /** IMAGE mode: the image (a --rootfs container has none). */
  readonly image: LocalImage | undefined;
}

/** `--rootfs DIR` (used directly, as podman) or `DIR:O` (an overlay over it). */
export function rootfsFlag(ctx: Pick<CommandContext, 'flags'>): { dir: string; overlay: boolean } | undefined {
  const flag = ctx.flags.rootfs as string | undefined;
  if (flag === undefined) return undefined;
  const overlay = flag.endsWith(':O');
  return { dir: overlay ? flag.slice(0, -2) : flag, overlay };
}

/** Parses the flags and arguments into a finished config (loads, or pulls, the image in IMAGE mode). */
export async function buildRunConfig(ctx: CommandContext, verb: 'run' | 'create'): Promise<RunConfig> {
  const f = ctx.flags;
  const rootfs = rootfsFlag(ctx);
  const rootfsDir = rootfs?.dir;
  const overlay = rootfs?.overlay ?? false;
  const image = rootfs === undefined ? await loadImage(ctx, ctx.args[0]!, (f.pull as string | undefined) ?? 'missing') : undefined;
  let layers: readonly string[];
  if (rootfsDir !== undefined) {
    const dir = resolve(ctx.cwd, rootfsDir);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--rootfs ${f.rootfs as string}: not a directory`);
    layers = [dir];
  } else layers = image!.layerDirs;
  const cmdArgs = rootfs !== undefined ? ctx.args : ctx.args.slice(1);
  const entrypoint = f.entrypoint !== undefined ? [f.entrypoint as string].filter(Boolean) : (image?.config.Entrypoint ?? []);
  const args = [...entrypoint, ...(cmdArgs.length > 0 ? cmdArgs : f.entrypoint !== undefined ? [] : (image?.config.Cmd ?? []))];
  if (args.length === 0) throw new UsageError(`berth container ${verb}: no command given and the image has none`);
  const network = (f.network as string | undefined) ?? 'none';
  if (!['none', 'host'].includes(network)) throw new UsageError(`--network ${network}: only none and host are supported by berth container ${verb}`);
  if (f.userns !== undefined && f.userns !== 'auto' && f.userns !== 'host') throw new UsageError(`--userns ${String(f.userns)}: expected auto or host`);
  const sec = strings(f['security-opt']);
  for (const s of sec) if (!/^(seccomp[=:]unconfined|no-new-privileges(:true|:false|=true|=false)?)$/.test(s)) throw new UsageError(`unsupported --security-opt ${s}`);
  const res: ResourcesConfig = {
    ...(f.memory ? { memory: parseBytes('memory', f.memory as string) } : {}),
    ...(f['memory-swap'] ? { memorySwap: f['memory-swap'] === '-1' ? -1 : parseBytes('memory-swap', f['memory-swap'] as string) } : {}),
    ...(f['memory-reservation'] ? { memoryReservation: parseBytes('memory-reservation', f['memory-reservation'] as string) } : {}),
    ...(f.cpus ? parseCpus(f.cpus as string) : {}),
    ...(f['cpu-shares'] !== undefined ? { cpuShares: f['cpu-shares'] as number } : {}),
    ...(f['cpuset-cpus'] ? { cpuset: f['cpuset-cpus'] as string } : {}),
    ...(f['pids-limit'] !== undefined ? { pidsLimit: f['pids-limit'] as number } : {}),
  };
  // names are looked up in the rootfs's /etc/passwd only when a user is asked for
  const userSpec = (f.user as string | undefined) ?? (image?.config.User || undefined);
  const user = userSpec ? (await import('../../../runtime/user.js')).resolveUser(layers, userSpec) : { uid: 0, gid: 0 };
  const id = (f.name as string | undefined) ?? randomHex(12);
  const netMode: NamespaceMode = network === 'host' ? 'host' : 'new';
  const config: ContainerConfig = {
    id,
    name: id,
    rootfs: rootfsDir !== undefined ? { dir: layers[0]!, mode: overlay ? 'overlay' : 'direct' } : { lowerDirs: layers },
    ...(image ? { image: { id: image.id, name: ctx.args[0]! } } : {}),
    readOnly: f['read-only'] === true,
    process: {
      args,
      env: [...(image?.config.Env ?? []), ...strings(f.env).map((e) => (e.includes('=') ? e : `${e}=${ctx.env[e] ?? ''}`))],
      cwd: (f.workdir as string | undefined) ?? (image?.config.WorkingDir || '/'),
      user,
      stdin: f.interactive === true,
      tty: f.tty === true,
    },
    ...(f.hostname ? { hostname: f.hostname as string } : {}),
    ...(f.domainname ? { domainname: f.domainname as string } : {}),
    devices: strings(f.device).map((d) => {
      const [hostPath = '', containerPath, permissions] = d.split(':');
      return { hostPath, ...(containerPath ? { containerPath } : {}), ...(permissions ? { permissions } : {}) };
    }),
    mounts: [...strings(f.volume).map((v) => parseVolume(v, ctx.cwd)), ...strings(f.tmpfs).map(parseTmpfs)],
    namespaces: { net: netMode, uts: network === 'host' && !f.hostname ? 'host' : 'new' },
    resources: res,
    capAdd: strings(f['cap-add']),
    capDrop: strings(f['cap-drop']),
    privileged: f.privileged === true,
    noNewPrivileges: !sec.some((s) => /no-new-privileges[:=]false/.test(s)),
    seccomp: sec.some((s) => s.startsWith('seccomp')) ? 'unconfined' : 'default',
    ulimits: strings(f.ulimit).map(parseUlimit),
    sysctls: parseKeyValues('sysctl', strings(f.sysctl)),
    labels: parseKeyValues('label', strings(f.label)),
    init: f.init === true,
    ...(f['shm-size'] ? { shmSizeBytes: parseBytes('shm-size', f['shm-size'] as string) } : {}),
    ...((f['stop-signal'] ?? image?.config.StopSignal) ? { stopSignal: (f['stop-signal'] as string | undefined) ?? image!.config.StopSignal! } : {}),
    ...(f['stop-timeout'] !== undefined ? { stopTimeoutMs: (f['stop-timeout'] as number) * 1000 } : {}),
    autoRemove: f.rm === true,
    ...(f.userns === 'auto' ? { userns: 'auto' as const } : {}),
  };
  return { config, image };
}

/** A container id without loading node:crypto (CLI start time is part of start latency). */
function randomHex(n: number): string {
  let s = '';
  while (s.length < n) s += Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0');
  return s.slice(0, n);
}

/** IMAGE mode: the image module is loaded only here (the --rootfs path stays lean). */
async function loadImage(ctx: CommandContext, ref: string, pull: string): Promise<LocalImage> {
  if (!['missing', 'always', 'never'].includes(pull)) throw new UsageError(`--pull ${pull}: expected missing, always or never`);
  const { openImageStore, ensureImage, loadRegistryConfig } = await import('../../../image/index.js');
  const store = openImageStore(join(berthRoot(ctx.env), 'images'));
  return ensureImage(store, ref, { pullPolicy: pull as 'missing', registryConfig: loadRegistryConfig(ctx.env), signal: ctx.signal });
}
