// DNS wire format and the responder on loopback with a fake upstream (no root).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildQuery, buildReply, parseAnswers, parseQuery, TYPE_AAAA } from '../../../src/network/dns/packet.js';
import { MISS_RELOAD_MS, startDnsResponder } from '../../../src/network/dns/responder.js';
import { removeEndpoint, writeEndpoint, writeRecord } from '../../../src/network/state.js';

function askRaw(port: number, name: string, type?: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    const t = setTimeout(() => reject(new Error('no answer')), 3000);
    s.on('message', (m) => {
      clearTimeout(t);
      s.close();
      resolve(m);
    });
    s.send(buildQuery(1234, name, type), port, '127.0.0.1');
  });
}

const ask = async (port: number, name: string, type?: number): Promise<{ rcode: number; addresses: string[] }> => parseAnswers(await askRaw(port, name, type));

const network = { name: 'p_default', project: 'p', bridge: 'bthx', subnet: '127.0.0.0/8', gateway: '127.0.0.1', ipRange: '127.0.0.0/8', internal: false, mtu: 1500, labels: {}, created: '' };
const endpoint = (id: string, address: string, names: string[]) => ({
  network: 'p_default',
  containerId: id,
  ifname: 'eth0',
  hostIfname: 'bthy',
  address,
  prefixLength: 8,
  gateway: '127.0.0.1',
  mac: '',
  names,
});

test('responder: a miss reloads the records from disk at most once per MISS_RELOAD_MS (fake clock)', async () => {
  const root = mkdtempSync(join(tmpdir(), 'berth-dns-'));
  writeRecord(root, network);
  let clock = 1000;
  const dns = await startDnsResponder({ root }, { network: 'p_default', port: 0, liveCheck: false, watch: false, upstreams: [], now: () => clock });
  try {
    writeEndpoint(root, endpoint('late', '10.1.0.7', ['late']));
    assert.is((await ask(dns.port, 'late')).rcode, 3, 'no reload within the interval: NXDOMAIN');
    clock += MISS_RELOAD_MS - 1;
    assert.is((await ask(dns.port, 'late')).rcode, 3);
    clock += 1;
    assert.equal(await ask(dns.port, 'late'), { rcode: 0, addresses: ['10.1.0.7'] }, 'reloaded once the interval passed');
  } finally {
    await dns.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('forwarding: at most maxForwards queries in flight; more are answered SERVFAIL at once', async () => {
  const root = mkdtempSync(join(tmpdir(), 'berth-dns-'));
  writeRecord(root, network);
  const silent = createSocket('udp4');
  await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
  const dns = await startDnsResponder({ root }, { network: 'p_default', port: 0, liveCheck: false, watch: false, upstreams: [`127.0.0.1:${silent.address().port}`], maxForwards: 4 });
  const client = createSocket('udp4');
  try {
    const servfails = new Promise<number[]>((resolve) => {
      const ids: number[] = [];
      client.on('message', (m) => {
        if (parseAnswers(m).rcode === 2 && ids.push(m.readUInt16BE(0)) === 3) resolve(ids.sort((a, b) => a - b));
      });
    });
    await new Promise<void>((r) => client.bind(0, '127.0.0.1', () => r()));
    for (let i = 0; i < 7; i++) client.send(buildQuery(i, `n${i}.example.com`), dns.port, '127.0.0.1');
    // the first answers are those past the cap (without it, every query would wait for the
    // silent upstream and the first to give up would be the first sent)
    assert.equal(await servfails, [4, 5, 6]);
  } finally {
    client.close();
    await dns.close();
    silent.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('forwarding: only the reply of the upstream asked, with the id it was sent, is taken; the client gets its own id back', async () => {
  const root = mkdtempSync(join(tmpdir(), 'berth-dns-'));
  writeRecord(root, network);
  const upstream = createSocket('udp4');
  const spoofer = createSocket('udp4');
  await Promise.all([upstream, spoofer].map((u) => new Promise<void>((r) => u.bind(0, '127.0.0.1', () => r()))));
  const ids: number[] = [];
  upstream.on('message', (m, r) => {
    const q = parseQuery(m)!;
    ids.push(m.readUInt16BE(0));
    // from another port, right id; from the right port, wrong id; then the real answer
    spoofer.send(buildReply(m, q, 0, ['6.6.6.6']), r.port, r.address);
    const wrong = buildReply(m, q, 0, ['7.7.7.7']);
    wrong.writeUInt16BE((m.readUInt16BE(0) + 1) & 0xffff, 0);
    upstream.send(wrong, r.port, r.address);
    setTimeout(() => upstream.send(buildReply(m, q, 0, ['1.2.3.4']), r.port, r.address), 20);
  });
  const dns = await startDnsResponder({ root }, { network: 'p_default', port: 0, liveCheck: false, watch: false, upstreams: [`127.0.0.1:${upstream.address().port}`] });
  try {
    const reply = await askRaw(dns.port, 'example.com');
    assert.equal(parseAnswers(reply).addresses, ['1.2.3.4']);
    assert.is(reply.readUInt16BE(0), 1234, "the client's id");
    assert.is(ids.length, 1);
  } finally {
    await dns.close();
    upstream.close();
    spoofer.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('packet: query -> parse -> reply with A records', () => {
  const q = buildQuery(7, 'Web.Example');
  const p = parseQuery(q)!;
  assert.is(p.name, 'web.example');
  assert.equal(parseAnswers(buildReply(q, p, 0, ['10.0.0.2', '10.0.0.3'])), { rcode: 0, addresses: ['10.0.0.2', '10.0.0.3'] });
  assert.is(parseQuery(Buffer.from([1, 2, 3])), undefined);
});

test('responder: names, replicas round robin, immediate updates, forwarding', async () => {
  const root = mkdtempSync(join(tmpdir(), 'berth-dns-'));
  const upstream = createSocket('udp4');
  await new Promise<void>((r) => upstream.bind(0, '127.0.0.1', () => r()));
  upstream.on('message', (m, r) => {
    const q = parseQuery(m)!;
    upstream.send(buildReply(m, q, 0, ['93.184.216.34']), r.port, r.address);
  });
  writeRecord(root, network);
  const ep = endpoint;
  writeEndpoint(root, ep('w1', '10.1.0.2', ['web', 'web-1', 'p-web-1', 'www']));
  writeEndpoint(root, ep('w2', '10.1.0.3', ['web', 'web-2', 'p-web-2']));
  const dns = await startDnsResponder({ root }, { network: 'p_default', port: 0, liveCheck: false, upstreams: [`127.0.0.1:${upstream.address().port}`] });
  try {
    const a = await ask(dns.port, 'web');
    const b = await ask(dns.port, 'web');
    assert.equal([...a.addresses].sort(), ['10.1.0.2', '10.1.0.3']);
    assert.is.not(a.addresses[0], b.addresses[0], 'round robin');
    assert.equal((await ask(dns.port, 'WWW')).addresses, ['10.1.0.2']);
    assert.equal(await ask(dns.port, 'web', TYPE_AAAA), { rcode: 0, addresses: [] });
    assert.equal((await ask(dns.port, 'example.com')).addresses, ['93.184.216.34'], 'forwarded');
    removeEndpoint(root, 'p_default', 'w1');
    writeEndpoint(root, ep('w1b', '10.1.0.9', ['web', 'web-1', 'p-web-1']));
    const c = await ask(dns.port, 'web-1');
    assert.equal(c.addresses, ['10.1.0.9'], 'restart with a new address');
    const { connect } = await import('node:net');
    const tcpAnswer = await new Promise<{ rcode: number; addresses: string[] }>((resolve, reject) => {
      const c = connect(dns.port, '127.0.0.1', () => {
        const q = buildQuery(9, 'web-1');
        const len = Buffer.alloc(2);
        len.writeUInt16BE(q.length);
        c.write(Buffer.concat([len, q]));
      });
      c.on('data', (d: Buffer) => {
        c.destroy();
        resolve(parseAnswers(d.subarray(2)));
      });
      c.on('error', reject);
    });
    assert.equal(tcpAnswer.addresses, ['10.1.0.9'], 'over TCP');
    dns.setRecords(new Map([['extra', ['10.2.0.1']]]));
    assert.equal((await ask(dns.port, 'extra')).addresses, ['10.2.0.1']);
  } finally {
    await dns.close();
    upstream.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
