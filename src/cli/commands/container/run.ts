import { existsSync, statSync } from '../../../runtime/node-fs.js';
import { join, resolve } from 'node:path';
import type { Command, CommandContext } from '../../command.js';
import type { LocalImage } from '../../../image/types.js';
import { UsageError } from '../../../errors.js';
import type { ContainerConfig, NamespaceMode, ResourcesConfig } from '../../../runtime/types.js';
import { parseBytes, parseCpus, parseKeyValues, parseTmpfs, parseUlimit, parseVolume, strings } from './parse.js';

export const command: Command = {
  usage: 'berth container run [OPTIONS] IMAGE [COMMAND] [ARG...]  |  berth container run [OPTIONS] --rootfs DIR COMMAND [ARG...]',
  summary: 'Run a command in a new container (outside any compose project)',
  stopAtPositional: true,
  args: { min: 1 },
  flags: [
    { name: 'rootfs', type: 'string', value: 'DIR[:O]', help: 'Use DIR as the container\'s root filesystem (as podman: writes go to DIR; DIR:O keeps DIR unchanged, writes go to an overlay)' },
    { name: 'rm', type: 'bool', help: 'Remove the container when it exits' },
    { name: 'pull', type: 'string', value: 'POLICY', help: 'Pull image before running: missing (default), always, never' },
    { name: 'entrypoint', type: 'string', value: 'CMD', help: 'Overwrite the default ENTRYPOINT of the image' },
    { name: 'detach', short: 'd', type: 'bool', help: 'Run in the background and print the container ID' },
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
  ],
  run,
};

/**
 * Attached runs
 * (no -d) end in runInForeground: this process becomes the container's monitor (the shim)
 * and exits with its code, unless an image hold must be released after an attached --rm run
 * (the shim knows no image store): then the CLI spawns the shim and waits, as -d does.
 */
async function run(ctx: CommandContext): Promise<number> {
  const f = ctx.flags;
  const detach = f.detach === true;
  const rootfsFlag = f.rootfs as string | undefined;
  // podman's --rootfs: DIR is used directly; DIR:O puts an overlay over it
  const overlay = rootfsFlag?.endsWith(':O') ?? false;
  const rootfsDir = overlay ? rootfsFlag!.slice(0, -2) : rootfsFlag;
  // --rootfs never holds an image: its attached runs always go foreground (nothing loaded for the other path)
  const foreground = !detach && (rootfsFlag !== undefined || f.rm !== true);
  const runtime = Promise.all([
    foreground ? import('../../../runtime/foreground.js') : import('../../../runtime/create.js'),
    import('../../../runtime/context.js'),
    import('../../../runtime/user.js'),
  ]);
  runtime.catch(() => undefined); // awaited below; a usage error may come first
  const image = rootfsFlag === undefined ? await loadImage(ctx, ctx.args[0]!, (f.pull as string | undefined) ?? 'missing') : undefined;
  let layers: readonly string[];
  if (rootfsDir !== undefined) {
    const rootfs = resolve(ctx.cwd, rootfsDir);
    if (!existsSync(rootfs) || !statSync(rootfs).isDirectory()) throw new UsageError(`--rootfs ${rootfsFlag}: not a directory`);
    layers = [rootfs];
  } else layers = image!.layerDirs;
  const cmdArgs = rootfsFlag !== undefined ? ctx.args : ctx.args.slice(1);
  const entrypoint = f.entrypoint !== undefined ? [f.entrypoint as string].filter(Boolean) : (image?.config.Entrypoint ?? []);
  const args = [...entrypoint, ...(cmdArgs.length > 0 ? cmdArgs : f.entrypoint !== undefined ? [] : (image?.config.Cmd ?? []))];
  if (args.length === 0) throw new UsageError('berth container run: no command given and the image has none');
  const network = (f.network as string | undefined) ?? 'none';
  if (!['none', 'host'].includes(network)) throw new UsageError(`--network ${network}: only none and host are supported by berth container run`);
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
  const [start, { runtimeContext }, { resolveUser }] = await runtime;
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
      user: resolveUser(layers, (f.user as string | undefined) ?? (image?.config.User || undefined)),
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
  const rt = runtimeContext(ctx.env);
  // A detached --rm container is removed by its shim, which knows no image store: no hold.
  const hold = image !== undefined && !(detach && config.autoRemove);
  const { imageHold } = hold ? await import('./image-hold.js') : { imageHold: undefined };
  if (imageHold) await imageHold(ctx, image!.id, id, true);
  const onWarning = (w: string): void => void ctx.stderr.write(`berth: warning: ${w}\n`);
  try {
    if ('runInForeground' in start) return await start.runInForeground(rt, config, { onWarning });
    await start.createContainer(rt, config, { attach: !detach, start: true, onWarning });
  } catch (err) {
    if (imageHold) await imageHold(ctx, image!.id, id, false).catch(() => undefined);
    throw err;
  }
  if (detach) {
    ctx.stdout.write(`${id}\n`);
    return 0;
  }
  const onAbort = (): void => void import('../../../runtime/kill.js').then(({ killContainer }) => killContainer(rt, id, 'SIGTERM')).catch(() => undefined);
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const { waitContainer } = await import('../../../runtime/wait.js');
  const exit = await waitContainer(rt, id);
  ctx.signal.removeEventListener('abort', onAbort);
  if (imageHold && config.autoRemove) await imageHold(ctx, image!.id, id, false);
  if (exit.oomKilled) ctx.stderr.write(`berth: container ${id} was killed: out of memory\n`);
  return exit.exitCode;
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
  const store = openImageStore(join(ctx.env.BERTH_ROOT ?? '/var/lib/berth', 'images'));
  return ensureImage(store, ref, { pullPolicy: pull as 'missing', registryConfig: loadRegistryConfig(ctx.env), signal: ctx.signal });
}
