// Just enough DNS wire format for the embedded responder (RFC 1035): parse a query's
// question, build an answer with A records, or an empty/NXDOMAIN/SERVFAIL reply.
export const TYPE_A = 1;
export const TYPE_AAAA = 28;
export const RCODE_OK = 0;
export const RCODE_SERVFAIL = 2;
export const RCODE_NXDOMAIN = 3;

export interface Question {
  readonly id: number;
  readonly flags: number;
  /** Lower-cased, no trailing dot. */
  readonly name: string;
  readonly type: number;
  readonly klass: number;
  /** Byte offset just past the question (where answers start). */
  readonly end: number;
}

/** The first question of a query, or undefined for anything malformed or not a query. */
export function parseQuery(msg: Buffer): Question | undefined {
  if (msg.length < 12) return undefined;
  const flags = msg.readUInt16BE(2);
  if (flags & 0x8000 || msg.readUInt16BE(4) < 1) return undefined;
  const labels: string[] = [];
  let off = 12;
  for (;;) {
    const len = msg[off];
    if (len === undefined || len > 63) return undefined;
    off++;
    if (len === 0) break;
    if (off + len > msg.length) return undefined;
    labels.push(msg.subarray(off, off + len).toString('latin1'));
    off += len;
  }
  if (off + 4 > msg.length) return undefined;
  return { id: msg.readUInt16BE(0), flags, name: labels.join('.').toLowerCase(), type: msg.readUInt16BE(off), klass: msg.readUInt16BE(off + 2), end: off + 4 };
}

/** A reply echoing the question with `addresses` as A records (TTL `ttl`). */
export function buildReply(query: Buffer, q: Question, rcode: number, addresses: readonly string[] = [], ttl = 0): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt16BE(q.id, 0);
  // QR, opcode copied, AA, RD copied, RA, rcode.
  head.writeUInt16BE(0x8000 | (q.flags & 0x7800) | 0x0400 | (q.flags & 0x0100) | 0x0080 | rcode, 2);
  head.writeUInt16BE(1, 4);
  head.writeUInt16BE(addresses.length, 6);
  const answers = addresses.map((ip) => {
    const a = Buffer.alloc(16);
    a.writeUInt16BE(0xc00c, 0);
    a.writeUInt16BE(TYPE_A, 2);
    a.writeUInt16BE(1, 4);
    a.writeUInt32BE(ttl, 6);
    a.writeUInt16BE(4, 10);
    ip.split('.').forEach((o, i) => a.writeUInt8(Number(o), 12 + i));
    return a;
  });
  return Buffer.concat([head, query.subarray(12, q.end), ...answers]);
}

/** A minimal query (used by tests and health checks). */
export function buildQuery(id: number, name: string, type = TYPE_A): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt16BE(id, 0);
  head.writeUInt16BE(0x0100, 2);
  head.writeUInt16BE(1, 4);
  const labels = name
    .split('.')
    .filter(Boolean)
    .map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)]));
  const tail = Buffer.alloc(5);
  tail.writeUInt16BE(type, 1);
  tail.writeUInt16BE(1, 3);
  return Buffer.concat([head, ...labels, tail]);
}

/** A records of a reply (tests). */
export function parseAnswers(msg: Buffer): { rcode: number; addresses: string[] } {
  const rcode = msg.readUInt16BE(2) & 0xf;
  const an = msg.readUInt16BE(6);
  let off = 12;
  while (msg[off] !== 0) off += (msg[off] ?? 0) + 1;
  off += 5;
  const addresses: string[] = [];
  for (let i = 0; i < an; i++) {
    off += (msg[off]! & 0xc0) === 0xc0 ? 2 : 0;
    const type = msg.readUInt16BE(off);
    const len = msg.readUInt16BE(off + 8);
    if (type === TYPE_A && len === 4) addresses.push([...msg.subarray(off + 10, off + 14)].join('.'));
    off += 10 + len;
  }
  return { rcode, addresses };
}
