// Netlink message encoding and decoding (pure; unit-tested without a kernel).
// A message is nlmsghdr (16 bytes) + a fixed family header + TLV attributes aligned to 4.
import { NLA_F_NESTED, NLMSG_ERROR, NLM_F_ACK_TLVS, NLMSGERR_ATTR_MSG } from './constants.js';

const align4 = (n: number): number => (n + 3) & ~3;

/** One attribute: a type and either raw bytes or nested attributes. */
export interface Attr {
  readonly type: number;
  readonly value: Buffer | readonly Attr[];
}

export const attr = {
  u8: (type: number, v: number): Attr => ({ type, value: Buffer.from([v & 0xff]) }),
  u32: (type: number, v: number): Attr => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v >>> 0);
    return { type, value: b };
  },
  /** NUL-terminated string (IFLA_IFNAME, IFLA_INFO_KIND). */
  str: (type: number, s: string): Attr => ({ type, value: Buffer.concat([Buffer.from(s), Buffer.alloc(1)]) }),
  bytes: (type: number, b: Buffer): Attr => ({ type, value: b }),
  nested: (type: number, children: readonly Attr[]): Attr => ({ type, value: children }),
};

export function encodeAttrs(attrs: readonly Attr[]): Buffer {
  const parts: Buffer[] = [];
  for (const a of attrs) {
    const isNested = !Buffer.isBuffer(a.value);
    const payload = isNested ? encodeAttrs(a.value as readonly Attr[]) : (a.value as Buffer);
    const head = Buffer.alloc(4);
    head.writeUInt16LE(4 + payload.length, 0);
    head.writeUInt16LE(a.type | (isNested ? NLA_F_NESTED : 0), 2);
    parts.push(head, payload, Buffer.alloc(align4(payload.length) - payload.length));
  }
  return Buffer.concat(parts);
}

/** nlmsghdr + family header + attributes. */
export function encodeMessage(type: number, flags: number, seq: number, header: Buffer, attrs: readonly Attr[] = []): Buffer {
  const body = Buffer.concat([header, Buffer.alloc(align4(header.length) - header.length), encodeAttrs(attrs)]);
  const head = Buffer.alloc(16);
  head.writeUInt32LE(16 + body.length, 0);
  head.writeUInt16LE(type, 4);
  head.writeUInt16LE(flags, 6);
  head.writeUInt32LE(seq >>> 0, 8);
  head.writeUInt32LE(0, 12);
  return Buffer.concat([head, body]);
}

export interface RawMessage {
  readonly type: number;
  readonly flags: number;
  readonly seq: number;
  /** Everything after nlmsghdr. */
  readonly body: Buffer;
}

export function splitMessages(buf: Buffer): RawMessage[] {
  const out: RawMessage[] = [];
  let off = 0;
  while (off + 16 <= buf.length) {
    const len = buf.readUInt32LE(off);
    if (len < 16 || off + len > buf.length) break;
    out.push({
      type: buf.readUInt16LE(off + 4),
      flags: buf.readUInt16LE(off + 6),
      seq: buf.readUInt32LE(off + 8),
      body: buf.subarray(off + 16, off + len),
    });
    off += align4(len);
  }
  return out;
}

/** Attributes by type (the last one wins; nested ones parse again with `parseAttrs`). */
export function parseAttrs(buf: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let off = 0;
  while (off + 4 <= buf.length) {
    const len = buf.readUInt16LE(off);
    const type = buf.readUInt16LE(off + 2) & ~NLA_F_NESTED & 0x7fff;
    if (len < 4 || off + len > buf.length) break;
    out.set(type, buf.subarray(off + 4, off + len));
    off += align4(len);
  }
  return out;
}

export const readStr = (b: Buffer | undefined): string | undefined => {
  if (!b) return undefined;
  const nul = b.indexOf(0);
  return b.subarray(0, nul < 0 ? b.length : nul).toString();
};
export const readU32 = (b: Buffer | undefined): number | undefined => (b && b.length >= 4 ? b.readUInt32LE(0) : undefined);

/** The error code of an NLMSG_ERROR (0 = ACK) and the kernel's extended-ack text. */
const EPROTO = 71;

export function parseError(m: RawMessage): { errno: number; message: string | undefined } | undefined {
  if (m.type !== NLMSG_ERROR) return undefined;
  // a truncated error message (no errno) is a protocol error, not a crash
  if (m.body.length < 4) return { errno: EPROTO, message: 'truncated netlink error message' };
  const errno = -m.body.readInt32LE(0);
  let message: string | undefined;
  if (m.flags & NLM_F_ACK_TLVS) {
    // With NETLINK_CAP_ACK the original request is not echoed: only its 16-byte header.
    message = readStr(parseAttrs(m.body.subarray(4 + 16)).get(NLMSGERR_ATTR_MSG));
  }
  return { errno, message };
}

export function ipv4ToBuffer(ip: string): Buffer {
  const parts = ip.split('.').map(Number);
  return Buffer.from(parts);
}

export function bufferToIpv4(b: Buffer): string {
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

export function macToBuffer(mac: string): Buffer {
  return Buffer.from(mac.split(':').map((h) => parseInt(h, 16)));
}

export function bufferToMac(b: Buffer): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}
