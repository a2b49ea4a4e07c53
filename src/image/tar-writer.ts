// A streaming tar writer (pax for long names, large values and xattrs), used by commit,
// save and import/tests. Produces what docker produces: ustar + pax extended headers.
import type { TarEntryType } from './tar-reader.js';
import { compareText } from '../util/compare.js';

export interface TarWriteHeader {
  readonly name: string;
  readonly type: TarEntryType;
  readonly mode: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly size?: number;
  readonly mtime?: number;
  readonly linkname?: string;
  readonly devmajor?: number;
  readonly devminor?: number;
  readonly xattrs?: Readonly<Record<string, Buffer>>;
}

const FLAGS: Record<TarEntryType, string> = { file: '0', hardlink: '1', symlink: '2', char: '3', block: '4', directory: '5', fifo: '6' };

function octal(n: number, len: number): string {
  return `${n.toString(8).padStart(len - 1, '0')}\0`;
}

function block(h: { name: string; mode: number; uid: number; gid: number; size: number; mtime: number; flag: string; linkname: string; major: number; minor: number }): Buffer {
  const b = Buffer.alloc(512);
  b.write(h.name, 0, 100, 'utf8');
  b.write(octal(h.mode & 0o7777, 8), 100);
  b.write(octal(h.uid, 8), 108);
  b.write(octal(h.gid, 8), 116);
  b.write(octal(h.size, 12), 124);
  b.write(octal(Math.floor(h.mtime), 12), 136);
  b.write('        ', 148);
  b.write(h.flag, 156);
  b.write(h.linkname, 157, 100, 'utf8');
  b.write('ustar\0', 257);
  b.write('00', 263);
  b.write(octal(h.major, 8), 329);
  b.write(octal(h.minor, 8), 337);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += b[i]!;
  b.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return b;
}

function paxRecord(key: string, value: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`), value, Buffer.from('\n')]);
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return Buffer.concat([Buffer.from(String(len)), body]);
}

const fits = (s: string, n: number): boolean => Buffer.byteLength(s) < n && /^[\x20-\x7e]*$/.test(s);

/** The header blocks (pax + ustar) for one entry. */
export function tarHeader(h: TarWriteHeader): Buffer {
  const size = h.type === 'file' ? (h.size ?? 0) : 0;
  const uid = h.uid ?? 0;
  const gid = h.gid ?? 0;
  const mtime = h.mtime ?? 0;
  const linkname = h.linkname ?? '';
  const records: Buffer[] = [];
  if (!fits(h.name, 100)) records.push(paxRecord('path', Buffer.from(h.name)));
  if (!fits(linkname, 100)) records.push(paxRecord('linkpath', Buffer.from(linkname)));
  if (size > 0o77777777777) records.push(paxRecord('size', Buffer.from(String(size))));
  if (uid > 0o7777777) records.push(paxRecord('uid', Buffer.from(String(uid))));
  if (gid > 0o7777777) records.push(paxRecord('gid', Buffer.from(String(gid))));
  for (const [k, v] of Object.entries(h.xattrs ?? {}).sort(([a], [b]) => compareText(a, b))) records.push(paxRecord(`SCHILY.xattr.${k}`, v));
  const main = block({
    name: fits(h.name, 100) ? h.name : h.name.slice(0, 99).replace(/[^\x20-\x7e]/g, '_'),
    mode: h.mode,
    uid: Math.min(uid, 0o7777777),
    gid: Math.min(gid, 0o7777777),
    size: Math.min(size, 0o77777777777),
    mtime,
    flag: FLAGS[h.type],
    linkname: fits(linkname, 100) ? linkname : '',
    major: h.devmajor ?? 0,
    minor: h.devminor ?? 0,
  });
  if (records.length === 0) return main;
  const pax = Buffer.concat(records);
  const paxHeader = block({ name: 'PaxHeader', mode: 0o644, uid: 0, gid: 0, size: pax.length, mtime, flag: 'x', linkname: '', major: 0, minor: 0 });
  return Buffer.concat([paxHeader, pax, padding(pax.length), main]);
}

export function padding(size: number): Buffer {
  const r = size % 512;
  return Buffer.alloc(r === 0 ? 0 : 512 - r);
}

export const TAR_END = Buffer.alloc(1024);

/** Builds a whole tar in memory from small entries (tests, fixtures, configs). */
export function tarBuffer(entries: readonly (TarWriteHeader & { data?: Buffer | string })[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = e.data === undefined ? Buffer.alloc(0) : Buffer.from(e.data);
    parts.push(tarHeader({ ...e, size: e.type === 'file' ? data.length : 0 }));
    if (e.type === 'file') parts.push(data, padding(data.length));
  }
  parts.push(TAR_END);
  return Buffer.concat(parts);
}
