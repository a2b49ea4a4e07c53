// Netlink encoding and the typed ops, against a fake transport (no kernel, no root).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as C from '../../../src/network/netlink/constants.js';
import { attr, encodeAttrs, encodeMessage, parseAttrs, parseError, readStr, splitMessages } from '../../../src/network/netlink/message.js';
import { Netlink, NetlinkError } from '../../../src/network/netlink/netlink.js';
import { OP_CALL, OP_OPEN, type RelayReply, type Transport } from '../../../src/network/netlink/relay.js';

/** Records requests; answers OPEN with handle 1 / fd 7, CALL with `respond(msg)`. */
function fake(respond: (msg: Buffer) => Buffer): { transport: Transport; sent: Buffer[] } {
  const sent: Buffer[] = [];
  return {
    sent,
    transport: {
      async send(op, _arg, payload): Promise<RelayReply> {
        if (op === OP_OPEN) return { status: 0, value: 1, payload: Buffer.from('7') };
        if (op === OP_CALL) {
          sent.push(payload);
          return { status: 0, value: 0, payload: respond(payload) };
        }
        return { status: 0, value: 0, payload: Buffer.alloc(0) };
      },
      async close() {},
    },
  };
}

const errorReply = (req: Buffer, errno: number): Buffer => {
  const body = Buffer.alloc(4 + 16);
  body.writeInt32LE(-errno, 0);
  req.copy(body, 4, 0, 16);
  return encodeMessage(C.NLMSG_ERROR, 0x100, req.readUInt32LE(8), body);
};

test('a transport that announces deletions gets the request and the names to wait for (OP_UNLINK)', async () => {
  const unlinks: Buffer[] = [];
  const transport: Transport = {
    async send(op, _arg, payload): Promise<RelayReply> {
      if (op === OP_OPEN) return { status: 0, value: 1, payload: Buffer.from('7') };
      return { status: 0, value: 0, payload: errorReply(payload, 0) };
    },
    async unlink(_handle, payload) {
      unlinks.push(payload);
      const name = payload.subarray(4 + payload.readUInt32LE(0)).toString();
      return name.startsWith('gone') ? 19 /* ENODEV */ : 0;
    },
    async close() {},
  };
  const nl = new Netlink(transport);
  const host = await nl.host();
  assert.ok(await nl.deleteLink(host, 'bthbr'));
  assert.not.ok(await nl.deleteLink(host, 'gone1'), 'ENODEV: already gone');
  const length = unlinks[0]!.readUInt32LE(0);
  const [m] = splitMessages(unlinks[0]!.subarray(4, 4 + length));
  assert.is(m!.type, C.RTM_DELLINK);
  assert.ok(m!.flags & C.NLM_F_ACK);
  assert.is(readStr(parseAttrs(m!.body.subarray(16)).get(C.IFLA_IFNAME)), 'bthbr');
  assert.is(unlinks[0]!.subarray(4 + length).toString(), 'bthbr\0');
  await nl.deleteLinks(host, ['bthx', 'bthy']);
  const group = unlinks[2]!;
  assert.is(group.subarray(4 + group.readUInt32LE(0)).toString(), 'bthx\0bthy\0', 'the group delete waits for every tagged link');
});

test('attributes round-trip, nested and aligned', () => {
  const buf = encodeAttrs([attr.str(C.IFLA_IFNAME, 'bth1'), attr.nested(C.IFLA_LINKINFO, [attr.str(C.IFLA_INFO_KIND, 'veth')]), attr.u32(C.IFLA_MTU, 1400)]);
  assert.is(buf.length % 4, 0);
  const a = parseAttrs(buf);
  assert.is(readStr(a.get(C.IFLA_IFNAME)), 'bth1');
  assert.is(a.get(C.IFLA_MTU)!.readUInt32LE(0), 1400);
  assert.is(readStr(parseAttrs(a.get(C.IFLA_LINKINFO)!).get(C.IFLA_INFO_KIND)), 'veth');
});

test('createVeth puts the peer in the target netns by fd, with name and mac, master + up', async () => {
  const f = fake((req) => errorReply(req, 0));
  const nl = new Netlink(f.transport);
  const host = await nl.host();
  const ns = await nl.namespace('/proc/1/ns/net');
  await nl.createVeth(host, { name: 'bthabc', master: 5, mtu: 1450, peer: { name: 'eth0', ns, mac: '02:42:ac:11:00:02' } });
  const [m] = splitMessages(f.sent[0]!);
  assert.is(m!.type, C.RTM_NEWLINK);
  assert.ok(m!.flags & C.NLM_F_CREATE && m!.flags & C.NLM_F_EXCL && m!.flags & C.NLM_F_ACK);
  assert.is(m!.body.readUInt32LE(8) & C.IFF_UP, C.IFF_UP);
  const a = parseAttrs(m!.body.subarray(16));
  assert.is(a.get(C.IFLA_MASTER)!.readUInt32LE(0), 5);
  const info = parseAttrs(a.get(C.IFLA_LINKINFO)!);
  assert.is(readStr(info.get(C.IFLA_INFO_KIND)), 'veth');
  const peer = parseAttrs(parseAttrs(info.get(C.IFLA_INFO_DATA)!).get(C.VETH_INFO_PEER)!.subarray(16));
  assert.is(readStr(peer.get(C.IFLA_IFNAME)), 'eth0');
  assert.is(peer.get(C.IFLA_NET_NS_FD)!.readUInt32LE(0), 7);
  assert.equal([...peer.get(C.IFLA_ADDRESS)!], [2, 0x42, 0xac, 0x11, 0, 2]);
});

test('errno is mapped to a clear message naming the operation', async () => {
  const nl = new Netlink(fake((req) => errorReply(req, 17)).transport);
  try {
    await nl.createLink(await nl.host(), 'bthx', 'bridge');
    assert.unreachable();
  } catch (e) {
    assert.instance(e, NetlinkError);
    assert.is((e as NetlinkError).message, 'create bridge bthx: already exists (EEXIST)');
    assert.is((e as NetlinkError).code, 'network/netlink');
  }
});

test('missing links are undefined / false, EEXIST on addresses is accepted', async () => {
  const nl = new Netlink(fake((req) => errorReply(req, 19)).transport);
  const host = await nl.host();
  assert.is(await nl.getLink(host, 'nope'), undefined);
  assert.is(await nl.deleteLink(host, 'nope'), false);
  const nl2 = new Netlink(fake((req) => errorReply(req, 17)).transport);
  await nl2.addAddress(await nl2.host(), 3, '10.0.0.1', 24);
});

test('deleteLinks tags each link with one group and deletes the group once; missing ones skipped', async () => {
  const f = fake((req) => {
    const a = parseAttrs(req.subarray(32));
    return errorReply(req, readStr(a.get(C.IFLA_IFNAME)) === 'gone' ? 19 : 0);
  });
  const nl = new Netlink(f.transport);
  const existed = await nl.deleteLinks(await nl.host(), ['a', 'gone', 'b']);
  assert.equal([...existed].sort(), ['a', 'b']);
  const msgs = f.sent.map((b) => splitMessages(b)[0]!);
  assert.equal(
    msgs.map((m) => m.type),
    [C.RTM_NEWLINK, C.RTM_NEWLINK, C.RTM_NEWLINK, C.RTM_DELLINK],
  );
  const groups = msgs.map((m) => parseAttrs(m.body.subarray(16)).get(C.IFLA_GROUP)!.readUInt32LE(0));
  assert.is(new Set(groups).size, 1);
  assert.is(parseAttrs(msgs[3]!.body.subarray(16)).get(C.IFLA_IFNAME), undefined);
});

test('concurrent deleteLinkBatched calls are grouped while one runs', async () => {
  const f = fake((req) => errorReply(req, 0));
  const nl = new Netlink(f.transport);
  const host = await nl.host();
  const r = await Promise.all(['x', 'y', 'z'].map((n) => nl.deleteLinkBatched(host, n)));
  assert.equal(r, [true, true, true]);
  const dels = f.sent.map((b) => splitMessages(b)[0]!).filter((m) => m.type === C.RTM_DELLINK);
  assert.is(dels.length, 2, 'x alone, then y+z as one group');
});

test('parseError reads the errno of an NLMSG_ERROR', () => {
  const req = encodeMessage(C.RTM_NEWLINK, 1, 9, Buffer.alloc(16));
  const [m] = splitMessages(errorReply(req, 1));
  assert.is(parseError(m!)!.errno, 1);
});

test.run();
