// The hostile-tar corpus: every case must be refused by unpackLayer without a single
// file written (or changed, or removed) outside the layer directory. `outside` is an
// absolute directory next to the target that holds a file named `victim`.
import { tarBuffer, tarHeader, TAR_END } from '../../src/image/tar-writer.js';

export interface HostileCase {
  readonly name: string;
  readonly tar: Buffer;
  /** Text the refusal must contain (the entry name). */
  readonly mentions: string;
}

const file = (name: string, data = 'pwned\n') => ({ name, type: 'file' as const, mode: 0o644, data });
const sym = (name: string, linkname: string) => ({ name, type: 'symlink' as const, mode: 0o777, linkname });
const hard = (name: string, linkname: string) => ({ name, type: 'hardlink' as const, mode: 0o644, linkname });
const dir = (name: string) => ({ name, type: 'directory' as const, mode: 0o755 });

/** A pax extended header ('x') holding `records` (key -> value), padded. */
function paxHeader(records: readonly (readonly [string, string])[]): Buffer {
  const body = Buffer.from(
    records
      .map(([key, value]) => {
        const rec = ` ${key}=${value}\n`;
        let len = rec.length + 2;
        while (String(len).length + rec.length !== len) len = String(len).length + rec.length;
        return `${len}${rec}`;
      })
      .join(''),
  );
  const hdr = Buffer.from(tarHeader({ name: 'PaxHeader', type: 'file', mode: 0o644, size: body.length }));
  hdr[156] = 'x'.charCodeAt(0);
  fixChecksum(hdr);
  return Buffer.concat([hdr, body, pad(body.length)]);
}

function paxOverride(key: string, value: string, entry: { name: string; type: 'file' | 'hardlink'; linkname?: string; data?: string }): Buffer {
  const data = Buffer.from(entry.data ?? '');
  const main = tarHeader({ name: entry.name, type: entry.type, mode: 0o644, size: data.length, linkname: entry.linkname ?? '' });
  return Buffer.concat([paxHeader([[key, value]]), main, data, pad(data.length), TAR_END]);
}

/** `n` pax headers of about `each` bytes (distinct keys) before one harmless entry. */
function paxPile(n: number, each: number): Buffer {
  const headers = Array.from({ length: n }, (_, i) => paxHeader([[`k${i}`, 'v'.repeat(each - 16)]]));
  return Buffer.concat([...headers, tarBuffer([file('harmless')])]);
}

function gnuLongName(name: string): Buffer {
  const body = Buffer.from(`${name}\0`);
  const hdr = Buffer.from(tarHeader({ name: '././@LongLink', type: 'file', mode: 0o644, size: body.length }));
  hdr[156] = 'L'.charCodeAt(0);
  fixChecksum(hdr);
  const data = Buffer.from('pwned\n');
  return Buffer.concat([hdr, body, pad(body.length), tarHeader({ name: 'harmless', type: 'file', mode: 0o644, size: data.length }), data, pad(data.length), TAR_END]);
}

function fixChecksum(h: Buffer): void {
  h.write('        ', 148);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += h[i]!;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
}

/** A file header declaring `size` bytes (pax for big ones, or base-256 when `base256`), followed by only a few. */
function hugeFile(size: number | bigint, base256 = false): Buffer {
  const hdr = Buffer.from(tarHeader({ name: 'huge', type: 'file', mode: 0o644, size: base256 ? 1 : Number(size) }));
  const main = hdr.subarray(hdr.length - 512);
  if (base256) {
    main.fill(0, 124, 136);
    main[124] = 0x80;
    main.writeBigUInt64BE(BigInt(size), 128);
    fixChecksum(main);
  }
  return Buffer.concat([hdr, Buffer.from('pwned'), Buffer.alloc(507)]); // a short body (one line: the test's snapshot shows contents)
}

const pad = (n: number): Buffer => Buffer.alloc(n % 512 === 0 ? 0 : 512 - (n % 512));

export function hostileCorpus(outside: string): HostileCase[] {
  const badChecksum = tarBuffer([file('innocent')]);
  badChecksum[148] = '7'.charCodeAt(0);
  return [
    { name: 'absolute path', tar: tarBuffer([file(`${outside}/abs`)]), mentions: `${outside}/abs` },
    { name: 'dot-dot path', tar: tarBuffer([file('../escape')]), mentions: '../escape' },
    { name: 'dot-dot in the middle', tar: tarBuffer([dir('a'), file('a/../../escape')]), mentions: 'a/../../escape' },
    { name: 'write through an absolute symlink', tar: tarBuffer([sym('link', outside), file('link/victim')]), mentions: 'link/victim' },
    { name: 'write through a relative symlink', tar: tarBuffer([sym('up', '../../../../../../..'), file(`up${outside}/victim`)]), mentions: `up${outside}/victim` },
    { name: 'directory through a symlink', tar: tarBuffer([sym('link', outside), dir('link/newdir')]), mentions: 'link/newdir' },
    { name: 'symlink chain (link to link)', tar: tarBuffer([sym('a', outside), sym('b', 'a'), file('b/victim')]), mentions: 'b/victim' },
    { name: 'hard link to an absolute target', tar: tarBuffer([hard('h', `${outside}/victim`)]), mentions: 'h' },
    { name: 'hard link with dot-dot target', tar: tarBuffer([hard('h', '../outside/victim')]), mentions: 'h' },
    { name: 'hard link through a symlinked dir', tar: tarBuffer([sym('link', outside), hard('h', 'link/victim')]), mentions: 'h' },
    { name: 'whiteout through a symlink (deletes outside)', tar: tarBuffer([sym('link', outside), file('link/.wh.victim', '')]), mentions: 'link/.wh.victim' },
    { name: 'opaque marker through a symlink', tar: tarBuffer([sym('link', outside), file('link/.wh..wh..opq', '')]), mentions: 'link/.wh..wh..opq' },
    { name: 'pax path override with dot-dot', tar: paxOverride('path', '../../pax-escape', { name: 'benign', type: 'file', data: 'pwned\n' }), mentions: '../../pax-escape' },
    { name: 'pax linkpath override to outside', tar: paxOverride('linkpath', `${outside}/victim`, { name: 'h', type: 'hardlink', linkname: 'benign' }), mentions: 'h' },
    { name: 'GNU long name with dot-dot', tar: gnuLongName(`../${'x'.repeat(120)}`), mentions: 'xxxx' },
    { name: 'fifo with dot-dot path', tar: tarBuffer([{ name: '../fifo', type: 'fifo', mode: 0o644 }]), mentions: '../fifo' },
    { name: 'device node through a symlink', tar: tarBuffer([sym('link', outside), { name: 'link/null', type: 'char', mode: 0o666, devmajor: 1, devminor: 3 }]), mentions: 'link/null' },
    { name: 'overlay redirect xattr', tar: tarBuffer([{ ...dir('d'), xattrs: { 'trusted.overlay.redirect': Buffer.from(outside) } }]), mentions: 'd' },
    { name: 'symlink replaced by dir then written via old link', tar: tarBuffer([dir('d'), sym('d2', outside), file('d2/victim')]), mentions: 'd2/victim' },
    { name: 'slash tricks: .//..//escape', tar: tarBuffer([file('.//..//escape')]), mentions: './/..//escape' },
    { name: 'slash tricks: a/./../../escape', tar: tarBuffer([dir('a'), file('a/./../../escape')]), mentions: 'a/./../../escape' },
    { name: 'NUL byte in a pax path', tar: paxOverride('path', `ok\0/../../${outside.slice(1)}/victim`, { name: 'benign', type: 'file', data: 'pwned\n' }), mentions: 'NUL byte' },
    { name: 'hard link out of the root through dot-dot in the middle', tar: tarBuffer([dir('d'), hard('h', 'd/../../outside/victim')]), mentions: 'h' },
    { name: 'hard link to a symlink, then written through the link', tar: tarBuffer([sym('s', outside), hard('h', 's'), file('h/victim')]), mentions: 'h/victim' },
    { name: 'huge declared size (8 GiB in pax, 5 bytes follow)', tar: hugeFile(8 * 2 ** 30), mentions: 'unexpected end of archive' },
    { name: 'huge declared size (2^60 in base-256)', tar: hugeFile(2n ** 60n, true), mentions: 'size too large' },
    { name: 'corrupt header checksum', tar: badChecksum, mentions: 'checksum' },
    { name: 'a pile of pax headers (memory)', tar: paxPile(5, 300 << 10), mentions: 'metadata records' },
  ];
}
