/**
 * What the local engine (`up`, `create`, `run`) does with each compose key that it does
 * not apply as written: one table, keyed by the key's path under a service, a network or a
 * volume. A rule is a verdict, or a function of the value when the verdict depends on it.
 * Keys not in the table are applied (or are pure metadata); cgroup limits a host lacks
 * (blkio weights without BFQ, v1-only files on v2) are named by the runtime when it creates
 * the container (`this host's cgroups have no blkio.weight`). `warned` keys get one
 * positioned warning (`file:line: services.web.userns_mode: ...`); `refused` keys are a
 * positioned error, since running without them would run something else than the file says.
 * The deploy targets have their own table (src/deploy/fidelity-rules.ts).
 */
import { positionOf, specError, type LoadContext } from './context.js';
import type { Network, Project, Service, ServiceNetwork, Volume } from './types.js';
import { parseBytes } from './units.js';

export type Support = { readonly verdict: 'applied' } | { readonly verdict: 'warned' | 'refused'; readonly note: string };

type Rule<O> = Support | ((value: unknown, owner: O) => Support);

const applied: Support = { verdict: 'applied' };
const warned = (note: string): Support => ({ verdict: 'warned', note });
const refused = (note: string): Support => ({ verdict: 'refused', note });

const HOST_ARCH: Readonly<Record<string, string>> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };

/** `platform:` the host's own is pulled as usual; a foreign one cannot run here (no emulation). */
const platform = (v: unknown): Support => {
  const [os = '', arch = ''] = String(v).toLowerCase().split('/');
  const host = HOST_ARCH[process.arch] ?? process.arch;
  return os === 'linux' && (arch === host || arch === '') ? applied : refused(`platform ${String(v)} cannot run on this ${host} host: berth runs linux/${host} images only (no emulation)`);
};

/** security_opt: seccomp=unconfined and no-new-privileges are applied; the rest is named. */
const securityOpt = (v: unknown): Support => {
  const other = (v as readonly string[]).filter((o) => !/^(seccomp[:=]unconfined|no-new-privileges(?:[:=](true|false))?)$/.test(o));
  if (other.length === 0) return applied;
  return warned(
    `${other.join(', ')} not applied: berth applies seccomp=unconfined and no-new-privileges; apparmor and SELinux labels are not loaded, custom seccomp profiles are not read (the default profile applies)`,
  );
};

const logging = (v: unknown): Support => {
  const l = v as Service['logging'];
  const driver = l?.driver ?? 'json-file';
  if (driver === 'json-file' || driver === 'local' || driver === 'none') {
    const size = l?.options?.['max-size'];
    const files = l?.options?.['max-file'];
    if (size !== undefined && !(parseBytes(size) !== undefined && parseBytes(size)! > 0)) return refused(`max-size ${JSON.stringify(size)} is not a size (10m, 512k)`);
    if (files !== undefined && !/^[1-9]\d*$/.test(files)) return refused(`max-file ${JSON.stringify(files)} is not a positive number`);
    const other = Object.keys(l?.options ?? {})
      .filter((k) => k !== 'max-size' && k !== 'max-file')
      .sort();
    return other.length === 0 || driver === 'none' ? applied : warned(`options ${other.join(', ')} not applied: berth's log file honours max-size and max-file`);
  }
  return warned(`driver ${driver} not available: berth writes its own JSON log file (berth logs reads it)`);
};

const userns = (v: unknown): Support => (v === 'host' ? applied : warned(`"${String(v)}" not applied: the container runs without a user namespace (as userns_mode: host)`));

const SERVICE: Readonly<Record<string, Rule<Service>>> = {
  platform,
  security_opt: securityOpt,
  logging,
  userns_mode: userns,
  cpu_rt_runtime: warned("not applied: berth's cgroup has no real-time CPU budget to hand out (the kernel refuses one)"),
  cpu_rt_period: warned("not applied: berth's cgroup has no real-time CPU budget to hand out (the kernel refuses one)"),
  cgroup_parent: warned("not applied: the container's cgroup stays under berth/"),
  storage_opt: warned('not applied: the writable layer is an overlay upper directory without a size limit'),
  external_links: warned('not applied: containers resolve only the services of their own project'),
  pre_start: warned('not run: berth has no init containers yet; run the step in the entrypoint before the service'),
  gpus: warned('not applied: berth gives no GPU to containers'),
  runtime: warned('not applied: berth runs every container with its own runtime'),
  isolation: warned('not applied: Linux containers have no isolation modes'),
  credential_spec: warned('not applied: a Windows-only setting'),
  cpu_count: warned('not applied: a Windows-only setting (use cpus)'),
  cpu_percent: warned('not applied: a Windows-only setting (use cpus)'),
  use_api_socket: warned('not applied: berth has no API socket to mount'),
};

const SERVICE_NETWORK: Readonly<Record<string, Rule<ServiceNetwork>>> = {
  ipv6_address: warned('not applied: berth networks are IPv4 only'),
  link_local_ips: warned('not applied: no link-local address is added'),
  driver_opts: warned('not applied: the veth is made without driver options'),
  priority: warned('not applied: networks are attached in name order'),
  gw_priority: warned("not applied: the default route goes through the first network's gateway (name order)"),
};

const BRIDGE_OPTS = new Set(['com.docker.network.driver.mtu', 'com.docker.network.bridge.name']);

const NETWORK: Readonly<Record<string, Rule<Network>>> = {
  driver: (v) => (v === 'bridge' ? applied : refused(`driver ${String(v)} is not available: berth makes bridge networks only`)),
  driver_opts: (v) => {
    const other = Object.keys(v as Record<string, string>)
      .filter((k) => !BRIDGE_OPTS.has(k))
      .sort();
    return other.length === 0 ? applied : warned(`${other.join(', ')} not applied: berth's bridges honour com.docker.network.driver.mtu and com.docker.network.bridge.name`);
  },
  enable_ipv6: (v) => (v === true ? warned('not applied: berth networks are IPv4 only') : applied),
  ipam: (v) => {
    const driver = (v as Network['ipam'])?.driver;
    return driver === undefined || driver === 'default' ? applied : warned(`driver ${driver} not available: berth's own IPAM assigns the addresses`);
  },
};

const VOLUME: Readonly<Record<string, Rule<Volume>>> = {
  driver: (v) => (v === 'local' ? applied : refused(`driver ${String(v)} is not available: berth's volumes are local directories`)),
  driver_opts: (v) => {
    const o = v as Record<string, string>;
    if (o.type === 'tmpfs' || (o.device !== undefined && /(^|,)bind(,|$)/.test(o.o ?? ''))) return applied;
    return refused(`${o.type ? `type ${o.type}` : 'these options'} cannot be mounted: berth mounts local volumes as directories, binds (o: bind, device: PATH) or tmpfs (type: tmpfs)`);
  },
};

function verdict<O>(rule: Rule<O>, value: unknown, owner: O): Support {
  return typeof rule === 'function' ? rule(value, owner) : rule;
}

/** Every key of a table that the owner sets, in name order, with its verdict. */
function judge<O extends object>(table: Readonly<Record<string, Rule<O>>>, owner: O, lookup: (key: string) => unknown = (k) => (owner as Record<string, unknown>)[k]): [string, Support][] {
  return Object.keys(table)
    .sort()
    .filter((k) => lookup(k) !== undefined)
    .map((k) => [k, verdict(table[k]!, lookup(k), owner)]);
}

/** The verdicts for one project: path (`services.web.userns_mode`) -> verdict, warned and refused only. */
export function localSupport(project: Project): [string, Support][] {
  const out: [string, Support][] = [];
  const add = (prefix: string, rows: [string, Support][]): void => {
    for (const [k, s] of rows) if (s.verdict !== 'applied') out.push([`${prefix}.${k}`, s]);
  };
  for (const [name, svc] of Object.entries(project.services)) {
    const P = `services.${name}`;
    add(
      P,
      judge(SERVICE, svc, (k) => (svc as unknown as Record<string, unknown>)[k] ?? svc.other?.[k]),
    );
    if (svc.deploy?.resources?.reservations?.devices) add(`${P}.deploy.resources.reservations`, [['devices', warned('not applied: berth gives no GPU or other device reservation to containers')]]);
    for (const [key, n] of Object.entries(svc.networks ?? {})) if (n) add(`${P}.networks.${key}`, judge(SERVICE_NETWORK, n));
  }
  for (const [key, n] of Object.entries(project.networks)) if (!n.external) add(`networks.${key}`, judge(NETWORK, n));
  for (const [key, v] of Object.entries(project.volumes)) if (!v.external) add(`volumes.${key}`, judge(VOLUME, v));
  return out;
}

/**
 * Warns once per warned key (with its file:line); then `enforce` refuses the first refused
 * key, `warn` (berth config) names each one in a warning as well.
 */
export function checkLocalSupport(ctx: LoadContext, project: Project, mode: 'warn' | 'enforce'): void {
  const verdicts = localSupport(project);
  for (const [path, s] of verdicts) {
    if (s.verdict === 'applied' || (s.verdict === 'refused' && mode === 'enforce')) continue;
    const pos = positionOf(ctx, path);
    const where = pos ? `${pos.file}${pos.line !== undefined ? `:${pos.line}` : ''}: ` : '';
    const note = s.verdict === 'refused' ? `berth up refuses this: ${s.note}` : s.note;
    ctx.warn({ code: 'spec/not-applied', message: `${where}${path}: ${note}`, ...(pos ?? {}) });
  }
  const first = verdicts.find(([, s]) => s.verdict === 'refused');
  if (first && mode === 'enforce') throw specError(ctx, 'spec/unsupported', (first[1] as { note: string }).note, first[0]);
}
