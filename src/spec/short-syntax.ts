/**
 * Short syntax parsers (ports, volumes, devices, extra_hosts, KEY=VALUE lists), as
 * compose-go's `format/volume.go` and docker's `nat.ParsePortSpec`.
 */

export interface RawVolume {
  type: 'bind' | 'volume';
  source?: string;
  target: string;
  read_only?: boolean;
  bind?: { propagation?: string; create_host_path?: boolean; selinux?: string };
  volume?: { nocopy?: boolean };
}

const PROPAGATIONS = ['rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave'];

/** `[SOURCE:]TARGET[:OPTIONS]`; throws Error with compose's message. */
export function splitVolumeSpec(spec: string): RawVolume {
  if (spec.length === 0) throw new Error('invalid empty volume spec');
  if (spec.length <= 2) return { type: 'volume', target: spec, volume: {} };
  const parts = spec.split(':');
  const v: { source?: string; target?: string; read_only?: boolean; bind?: RawVolume['bind']; volume?: RawVolume['volume'] } = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const last = i === parts.length - 1;
    if (part === '') throw new Error(`invalid spec: ${spec}: empty section between colons`);
    if (v.source === undefined && last) v.target = part;
    else if (v.source === undefined) v.source = part;
    else if (v.target === undefined) v.target = part;
    else if (!last) throw new Error(`invalid spec: ${spec}: too many colons`);
    else {
      for (const option of part.split(',')) {
        if (option === 'ro') v.read_only = true;
        else if (option === 'rw') v.read_only = false;
        else if (option === 'nocopy') v.volume = { nocopy: true };
        else if (option === 'z' || option === 'Z') v.bind = { ...v.bind, selinux: option };
        else if (PROPAGATIONS.includes(option)) v.bind = { ...v.bind, propagation: option };
      }
    }
  }
  const out: RawVolume = { type: 'volume', target: v.target ?? '' };
  if (v.source !== undefined) out.source = v.source;
  if (v.read_only) out.read_only = true;
  if (isFilePath(v.source)) {
    out.type = 'bind';
    out.bind = { ...v.bind, create_host_path: true };
  } else {
    out.volume = v.volume ?? {};
    if (v.bind) out.bind = v.bind;
  }
  return out;
}

function isFilePath(source: string | undefined): boolean {
  if (!source) return false;
  return source[0] === '.' || source[0] === '/' || source[0] === '~' || source.startsWith('\\\\');
}

export interface RawPort {
  mode: string;
  host_ip?: string;
  target: number;
  published?: string;
  protocol: string;
}

function portRange(text: string, what: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) throw new Error(`invalid ${what}: ${text}`);
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (start > 65535 || end > 65535 || end < start) throw new Error(`invalid ${what}: ${text}`);
  return [start, end];
}

/** `[[IP:]HOST[-HOST]:]CONTAINER[-CONTAINER][/PROTO]` -> one entry per container port. */
export function parsePortSpec(spec: string): RawPort[] {
  const parts = spec.split(':');
  const n = parts.length;
  let container = parts[n - 1]!;
  const host = n >= 2 ? parts[n - 2]! : '';
  let ip = n >= 3 ? parts.slice(0, n - 2).join(':') : '';
  let proto = 'tcp';
  const slash = container.indexOf('/');
  if (slash !== -1) {
    proto = container.slice(slash + 1);
    container = container.slice(0, slash);
    if (proto === '') proto = 'tcp';
  }
  if (ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  if (ip !== '' && !isIP(ip)) throw new Error(`invalid IP address: ${ip}`);
  if (container === '') throw new Error(`no port specified: ${spec}<empty>`);
  const [start, end] = portRange(container, 'containerPort');
  let hostStart = 0;
  let hostEnd = 0;
  if (host !== '') [hostStart, hostEnd] = portRange(host, 'hostPort');
  if (host !== '' && end - start !== hostEnd - hostStart && end !== start) {
    throw new Error(`invalid ranges specified for container and host Ports: ${container} and ${host}`);
  }
  proto = proto.toLowerCase();
  if (!['tcp', 'udp', 'sctp'].includes(proto)) throw new Error(`invalid proto: ${proto}`);
  const out: { key: string; port: RawPort }[] = [];
  for (let i = 0; i <= end - start; i++) {
    const target = start + i;
    let published: string | undefined;
    if (host !== '') published = start === end && hostStart !== hostEnd ? `${hostStart}-${hostEnd}` : String(hostStart + i);
    const port: RawPort = { mode: 'ingress', target, protocol: proto };
    if (ip !== '') port.host_ip = ip;
    if (published !== undefined) port.published = published;
    out.push({ key: `${target}/${proto}`, port });
  }
  // nat.ParsePortSpecs hands back a map; compose-go sorts its keys as strings
  out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return out.map((x) => x.port);
}

/** `host:ip` or `host=ip`. */
export function splitHost(entry: string): [string, string] {
  const eq = entry.indexOf('=');
  const at = eq !== -1 ? eq : entry.indexOf(':');
  if (at === -1) throw new Error(`invalid extra host: ${entry}`);
  return [entry.slice(0, at), entry.slice(at + 1)];
}

/** `SRC[:DST[:PERMS]]` device mapping. */
export function parseDevice(spec: string): { source: string; target: string; permissions: string } {
  const parts = spec.split(':');
  if (parts.length === 3) return { source: parts[0]!, target: parts[1]!, permissions: parts[2]! };
  if (parts.length === 2) return { source: parts[0]!, target: parts[1]!, permissions: 'rwm' };
  if (parts.length === 1) return { source: parts[0]!, target: parts[0]!, permissions: 'rwm' };
  throw new Error(`confusing device mapping, please use long syntax: ${spec}`);
}

/** IPv4 or IPv6 literal (node:net's isIP costs a module load on the CLI's start path). */
export function isIP(text: string): boolean {
  const v4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
  if (v4.test(text)) return true;
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(':')) return false;
  const [head, tail] = text.includes('.') ? [text.slice(0, text.lastIndexOf(':')), text.slice(text.lastIndexOf(':') + 1)] : [text, undefined];
  if (tail !== undefined && !v4.test(tail)) return false;
  const double = head.split('::');
  if (double.length > 2) return false;
  const groups = (x: string): string[] => (x === '' ? [] : x.split(':'));
  const all = double.flatMap(groups);
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const count = all.length + (tail !== undefined ? 2 : 0);
  return double.length === 2 ? count < 8 : count === 8;
}
