// Fixed family headers (ifinfomsg, ifaddrmsg, rtmsg) and the link parser.
import * as C from './constants.js';
import { bufferToMac, parseAttrs, readStr, readU32, type RawMessage } from './message.js';

export interface LinkInfo {
  readonly index: number;
  readonly name: string;
  readonly up: boolean;
  readonly mtu: number;
  readonly kind: string | undefined;
  readonly master: number | undefined;
  readonly mac: string | undefined;
}

export function ifinfomsg(index = 0, flags = 0, change = 0, family = C.AF_UNSPEC): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt8(family, 0);
  b.writeInt32LE(index, 4);
  b.writeUInt32LE(flags, 8);
  b.writeUInt32LE(change, 12);
  return b;
}

export function ifaddrmsg(index: number, prefixLength: number, scope = C.RT_SCOPE_UNIVERSE): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt8(C.AF_INET, 0);
  b.writeUInt8(prefixLength, 1);
  b.writeUInt8(scope, 3);
  b.writeUInt32LE(index, 4);
  return b;
}

export function rtmsg(dstLen: number, scope: number): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt8(C.AF_INET, 0);
  b.writeUInt8(dstLen, 1);
  b.writeUInt8(C.RT_TABLE_MAIN, 4);
  b.writeUInt8(C.RTPROT_BOOT, 5);
  b.writeUInt8(scope, 6);
  b.writeUInt8(C.RTN_UNICAST, 7);
  return b;
}

export function parseLink(m: RawMessage): LinkInfo {
  const a = parseAttrs(m.body.subarray(16));
  const info = a.get(C.IFLA_LINKINFO);
  const mac = a.get(C.IFLA_ADDRESS);
  return {
    index: m.body.readInt32LE(4),
    name: readStr(a.get(C.IFLA_IFNAME)) ?? '',
    up: (m.body.readUInt32LE(8) & C.IFF_UP) !== 0,
    mtu: readU32(a.get(C.IFLA_MTU)) ?? 0,
    kind: info ? readStr(parseAttrs(info).get(C.IFLA_INFO_KIND)) : undefined,
    master: readU32(a.get(C.IFLA_MASTER)),
    mac: mac && mac.length === 6 ? bufferToMac(mac) : undefined,
  };
}
