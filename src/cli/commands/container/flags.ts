// The flags of `berth container create|run`: one table, and the typed ContainerFlags (src/api)
// they fill; the container service parses and checks the values.
import type { FlagSpec, FlagValues } from '../../args.js';
import type { CommandContext } from '../../command.js';
import type { ContainerCreateOptions, ContainerFlags } from '../../../api/index.js';

/** The flags of `container create` (`container run` adds -d). */
export const CONTAINER_FLAGS: readonly FlagSpec[] = [
  { name: 'rootfs', type: 'string', value: 'DIR[:O]', help: "Use DIR as the container's root filesystem (as podman: writes go to DIR; DIR:O keeps DIR unchanged, writes go to an overlay)" },
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
  { name: 'read-only', type: 'bool', help: "Mount the container's root filesystem as read only" },
  { name: 'init', type: 'bool', help: 'Run an init inside the container that forwards signals and reaps processes' },
  { name: 'network', type: 'string', value: 'MODE', help: 'Network mode: none (default here) or host' },
  { name: 'security-opt', type: 'list', value: 'OPT', help: 'Security options: seccomp=unconfined, no-new-privileges[=false]' },
  { name: 'ulimit', type: 'list', value: 'NAME=SOFT[:HARD]', help: "Ulimit options (clamped to the host's hard limit, with a warning)" },
  { name: 'sysctl', type: 'list', value: 'KEY=VALUE', help: 'Namespaced kernel parameters' },
  { name: 'label', short: 'l', type: 'list', value: 'KEY=VALUE', help: 'Set metadata on the container' },
  { name: 'shm-size', type: 'string', value: 'BYTES', help: 'Size of /dev/shm (default 64m)' },
  { name: 'stop-signal', type: 'string', value: 'SIGNAL', help: 'Signal to stop the container' },
  { name: 'stop-timeout', type: 'int', value: 'SECONDS', help: 'Timeout to stop the container' },
  { name: 'interactive', short: 'i', type: 'bool', help: 'Keep STDIN open' },
  { name: 'tty', short: 't', type: 'bool', help: 'Allocate a pseudo-TTY' },
  { name: 'userns', type: 'string', value: 'MODE', help: 'User namespace: host (default) or auto (root maps to an unprivileged id block)' },
];

const str = (f: FlagValues, k: string): string | undefined => (typeof f[k] === 'string' ? f[k] : undefined);
const num = (f: FlagValues, k: string): number | undefined => (typeof f[k] === 'number' ? f[k] : undefined);
const list = (f: FlagValues, k: string): string[] => (Array.isArray(f[k]) ? f[k] : []);
const bool = (f: FlagValues, k: string): boolean => f[k] === true;

type Loose<T> = { [K in keyof T]-?: T[K] | undefined };

/** Omits the keys whose value is undefined (exactOptionalPropertyTypes). */
function defined<T extends object>(o: Loose<T>): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function containerFlags(f: FlagValues): ContainerFlags {
  return defined<ContainerFlags>({
    rootfs: str(f, 'rootfs'),
    rm: bool(f, 'rm'),
    pull: str(f, 'pull'),
    entrypoint: str(f, 'entrypoint'),
    name: str(f, 'name'),
    env: list(f, 'env'),
    volume: list(f, 'volume'),
    tmpfs: list(f, 'tmpfs'),
    device: list(f, 'device'),
    workdir: str(f, 'workdir'),
    user: str(f, 'user'),
    hostname: str(f, 'hostname'),
    domainname: str(f, 'domainname'),
    memory: str(f, 'memory'),
    memorySwap: str(f, 'memory-swap'),
    memoryReservation: str(f, 'memory-reservation'),
    cpus: str(f, 'cpus'),
    cpuShares: num(f, 'cpu-shares'),
    cpusetCpus: str(f, 'cpuset-cpus'),
    pidsLimit: num(f, 'pids-limit'),
    capAdd: list(f, 'cap-add'),
    capDrop: list(f, 'cap-drop'),
    privileged: bool(f, 'privileged'),
    readOnly: bool(f, 'read-only'),
    init: bool(f, 'init'),
    network: str(f, 'network'),
    securityOpt: list(f, 'security-opt'),
    ulimit: list(f, 'ulimit'),
    sysctl: list(f, 'sysctl'),
    label: list(f, 'label'),
    shmSize: str(f, 'shm-size'),
    stopSignal: str(f, 'stop-signal'),
    stopTimeout: num(f, 'stop-timeout'),
    interactive: bool(f, 'interactive'),
    tty: bool(f, 'tty'),
    userns: str(f, 'userns'),
  });
}

/** The create/run options from the command line; warnings and pull progress go to `onEvent`. */
export function createOptions(ctx: CommandContext, onEvent: ContainerCreateOptions['onEvent']): ContainerCreateOptions {
  return { args: ctx.args, flags: containerFlags(ctx.flags), cwd: ctx.cwd, env: ctx.env, signal: ctx.signal, ...(onEvent ? { onEvent } : {}) };
}
