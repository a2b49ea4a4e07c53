// A streaming tar reader (ustar, pax, GNU long names), written for hostile input: every
// header is checksummed, sizes are bounded, and nothing is buffered beyond one block
// except pax/long-name records (capped at 1 MiB in all for one entry, and 1 MiB for the
// global ones: a run of headers cannot pile up memory). Entries come out one at a time and the
// consumer streams each body before asking for the next.
import { BerthError } from '../errors.js';

export type TarEntryType = 'file' | 'hardlink' | 'symlink' | 'char' | 'block' | 'directory' | 'fifo';

export interface TarHeader {
  readonly name: string;
  readonly type: TarEntryType;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly mtime: number;
  readonly linkname: string;
  readonly devmajor: number;
  readonly devminor: number;
  readonly xattrs: Readonly<Record<string, Buffer>>;
}

export interface TarEntry extends TarHeader {
  /** The body, streamed; must be consumed (or skipped by asking for the next entry). */
  body(): AsyncGenerator<Buffer>;
}

const BLOCK = 512;
const MAX_META = 1 << 20;

function bad(what: string): BerthError {
  return new BerthError('image/invalid-tar', `malformed tar: ${what}`);
}

class ByteReader {
  private chunks: Buffer[] = [];
  private have = 0;
  private readonly it: AsyncIterator<Buffer>;
  private done = false;
  constructor(src: AsyncIterable<Buffer | string>) {
    this.it = (src as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }
  private async fill(n: number): Promise<boolean> {
    while (this.have < n && !this.done) {
      const r = await this.it.next();
      if (r.done) this.done = true;
      else {
        const b = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
        if (b.length) {
          this.chunks.push(b);
          this.have += b.length;
        }
      }
    }
    return this.have >= n;
  }
  /** Exactly n bytes, or undefined at a clean EOF before any byte. */
  async exact(n: number): Promise<Buffer | undefined> {
    // an empty record (a pax header of size 0) at a chunk boundary has no chunk to take from
    if (n === 0) return Buffer.alloc(0);
    if (!(await this.fill(n))) {
      if (this.have === 0) return undefined;
      throw bad('unexpected end of archive');
    }
    return this.take(n);
  }
  /** Up to n bytes (at least 1), or throws at EOF. */
  async some(n: number): Promise<Buffer> {
    if (!(await this.fill(1))) throw bad('unexpected end of archive');
    return this.take(Math.min(n, this.chunks[0]!.length));
  }
  private take(n: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length === n) {
      this.chunks.shift();
      this.have -= n;
      return first;
    }
    if (first.length > n) {
      this.chunks[0] = first.subarray(n);
      this.have -= n;
      return first.subarray(0, n);
    }
    const out = Buffer.concat(this.chunks, this.have);
    this.chunks = out.length > n ? [out.subarray(n)] : [];
    this.have -= n;
    return out.subarray(0, n);
  }
  async skip(n: number): Promise<void> {
    while (n > 0) n -= (await this.some(Math.min(n, 1 << 20))).length;
  }
  async drainRest(): Promise<void> {
    while (await this.fill(1)) this.take(Math.min(this.have, this.chunks[0]!.length));
  }
}

function cstr(b: Buffer, off: number, len: number): string {
  const s = b.subarray(off, off + len);
  const z = s.indexOf(0);
  return (z === -1 ? s : s.subarray(0, z)).toString('utf8');
}

function num(b: Buffer, off: number, len: number, field: string): number {
  const f = b.subarray(off, off + len);
  if (f[0]! & 0x80) {
    // base-256 (GNU): big-endian, first byte's high bit set; negative values refused
    if (f[0] === 0xff) throw bad(`negative ${field}`);
    let v = f[0]! & 0x7f;
    for (let i = 1; i < f.length; i++) v = v * 256 + f[i]!;
    if (!Number.isSafeInteger(v)) throw bad(`${field} too large`);
    return v;
  }
  const s = cstr(b, off, len).trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw bad(`invalid ${field} "${s}"`);
  return parseInt(s, 8);
}

function checksumOk(h: Buffer): boolean {
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const c = i >= 148 && i < 156 ? 32 : h[i]!;
    unsigned += c;
    signed += c > 127 ? c - 256 : c;
  }
  const stored = num(h, 148, 8, 'checksum');
  return stored === unsigned || stored === signed;
}

function parsePax(data: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    if (sp === -1) throw bad('pax record without length');
    const len = Number(data.subarray(i, sp).toString());
    if (!Number.isInteger(len) || len <= 0 || i + len > data.length) throw bad('pax record length out of range');
    const rec = data.subarray(sp + 1, i + len - 1);
    const eq = rec.indexOf(0x3d);
    if (eq === -1) throw bad('pax record without "="');
    out.set(rec.subarray(0, eq).toString('utf8'), Buffer.from(rec.subarray(eq + 1)));
    i += len;
  }
  return out;
}

const TYPES: Record<string, TarEntryType> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'char',
  '4': 'block',
  '5': 'directory',
  '6': 'fifo',
};

/** Reads a tar stream entry by entry. */
export async function* readTar(src: AsyncIterable<Buffer | string>): AsyncGenerator<TarEntry> {
  const r = new ByteReader(src);
  let globalPax = new Map<string, Buffer>();
  let pax = new Map<string, Buffer>();
  let longName: string | undefined;
  let longLink: string | undefined;
  /** Metadata bytes held for the next entry, and for all entries (global pax). */
  let entryMeta = 0;
  let globalMeta = 0;
  for (;;) {
    const h = await r.exact(BLOCK);
    if (!h) return; // EOF without end blocks: accepted (many writers truncate)
    if (h.every((c) => c === 0)) {
      await r.drainRest();
      return;
    }
    if (!checksumOk(h)) throw bad('header checksum mismatch');
    const flag = String.fromCharCode(h[156]!);
    const size = num(h, 124, 12, 'size');
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
      if (size > MAX_META) throw bad(`metadata record of ${size} bytes`);
      if (flag === 'g' ? (globalMeta += size) > MAX_META : (entryMeta += size) > MAX_META) throw bad(`more than ${MAX_META} bytes of metadata records`);
      const data = (await r.exact(padded)) ?? Buffer.alloc(0);
      const body = data.subarray(0, size);
      if (flag === 'x') pax = new Map([...pax, ...parsePax(body)]);
      else if (flag === 'g') globalPax = new Map([...globalPax, ...parsePax(body)]);
      else if (flag === 'L') longName = cstr(body, 0, body.length);
      else longLink = cstr(body, 0, body.length);
      continue;
    }
    const type = TYPES[flag];
    if (!type) throw bad(`unsupported entry type "${flag.replace(/[^\x20-\x7e]/g, '?')}" (${cstr(h, 0, 100)})`);
    const ustar = h.subarray(257, 262).toString() === 'ustar';
    const prefix = ustar ? cstr(h, 345, 155) : '';
    const merged = new Map([...globalPax, ...pax]);
    const str = (k: string): string | undefined => merged.get(k)?.toString('utf8');
    const paxNum = (k: string): number | undefined => {
      const v = str(k);
      if (v === undefined) return undefined;
      const n = Number(v);
      // only mtime may have a fraction; sizes and ids are whole (a huge or fractional size would skew every later header)
      if (!Number.isFinite(n) || n < 0 || (k !== 'mtime' && !Number.isSafeInteger(n))) throw bad(`invalid pax ${k} "${v.slice(0, 40)}"`);
      return n;
    };
    const name = str('path') ?? longName ?? (prefix ? `${prefix}/${cstr(h, 0, 100)}` : cstr(h, 0, 100));
    const linkname = str('linkpath') ?? longLink ?? cstr(h, 157, 100);
    const xattrs: Record<string, Buffer> = {};
    for (const [k, v] of merged) {
      if (k.startsWith('SCHILY.xattr.')) xattrs[k.slice(13)] = v;
      else if (k.startsWith('LIBARCHIVE.xattr.')) xattrs[decodeURIComponent(k.slice(17))] = Buffer.from(v.toString(), 'base64');
    }
    const realSize = paxNum('size') ?? size;
    const bodySize = type === 'file' ? realSize : 0;
    const entrySize = paxNum('size') !== undefined ? Math.ceil(realSize / BLOCK) * BLOCK : padded;
    pax = new Map();
    longName = undefined;
    longLink = undefined;
    entryMeta = 0;
    if (name.includes('\0') || linkname.includes('\0')) throw bad('NUL byte in a name');
    let consumed = 0;
    const toSkip = type === 'file' ? entrySize : entrySize; // non-files: skip any declared body
    const entry: TarEntry = {
      name,
      type,
      mode: paxNum('mode') ?? num(h, 100, 8, 'mode'),
      uid: paxNum('uid') ?? num(h, 108, 8, 'uid'),
      gid: paxNum('gid') ?? num(h, 116, 8, 'gid'),
      size: bodySize,
      mtime: paxNum('mtime') ?? num(h, 136, 12, 'mtime'),
      linkname,
      devmajor: ustar ? num(h, 329, 8, 'devmajor') : 0,
      devminor: ustar ? num(h, 337, 8, 'devminor') : 0,
      xattrs,
      async *body() {
        while (consumed < bodySize) {
          const chunk = await r.some(Math.min(bodySize - consumed, 1 << 20));
          consumed += chunk.length;
          yield chunk;
        }
      },
    };
    yield entry;
    // skip what the consumer did not read, plus padding
    if (consumed < toSkip) await r.skip(toSkip - consumed);
  }
}
