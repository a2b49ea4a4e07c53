// Real-kernel network tests. The whole file runs in its own network namespace (re-executed
// under `unshare -n`), which plays "the host": berth's bridges, nft table and sysctls live
// there and vanish with it. Stand-in containers are processes in their own net+mount
// namespaces; an extra namespace joined by a veth plays a client on another machine.
// To look like a host that ran Docker, the filter FORWARD policy is set to DROP first.
import * as assert from 'uvu/assert';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { findLeaks, makeTestRoots, skipUnlessKernel } from '../helpers/kernel.js';
import {
  attachContainer,
  checkPortsFree,
  detachContainer,
  dnsNamesFor,
  ensureNetwork,
  openNetlink,
  publishPorts,
  removeNetwork,
  renderHosts,
  renderResolvConf,
  startDnsResponder,
  tableName,
  type DnsResponder,
  type NetworkContext,
  type NetworkRecord,
} from '../../src/network/index.js';
import { NetlinkError } from '../../src/network/netlink/netlink.js';
import { bridgeNameFor, hostVethNameFor } from '../../src/network/names.js';
import { readEndpoint, readRecord, writeEndpoint, writeRecord } from '../../src/network/state.js';
import { DEFAULT_BERTH_ROOT } from '../../src/util/berth-dirs.js';
import { ECHO_CLIENT, ECHO_SERVER, ready, runInOwnNetns, sh, startFakeContainer, type FakeContainer, missingTools, test } from './netns.js';
import { poll } from '../helpers/poll.js';

const haveTools = (): string | undefined => missingTools(['/usr/sbin/nft', '/bin/busybox', '/usr/bin/unshare', '/usr/bin/nsenter']);
if (skipUnlessKernel('network', haveTools)) process.exit(0);
runInOwnNetns(import.meta.filename);

const roots = makeTestRoots('net');
const nl = openNetlink();
const ctx: NetworkContext = { root: roots.root, netlink: nl };
const project = `p${roots.tag}`;
const containers = new Map<string, FakeContainer>();
const responders: DnsResponder[] = [];
const nets: Record<string, NetworkRecord> = {};
let outside: FakeContainer;
const OUTSIDE_HOST = '198.51.100.1';
const OUTSIDE_CLIENT = '198.51.100.2';
const node = process.execPath;

async function run(cmd: string, args: string[]): Promise<string> {
  const r = await sh(cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** Starts a stand-in container for `service` (index n) attached to `networks`. */
async function up(service: string, networks: string[], extra: { index?: number; aliases?: string[]; ip?: string; mac?: string } = {}): Promise<FakeContainer> {
  const index = extra.index ?? 1;
  const id = `${project}-${service}-${index}`;
  const first = nets[networks[0]!]!;
  const c = await startFakeContainer(roots.run, id, {
    resolvConf: renderResolvConf({ embeddedDns: first.gateway }),
    hosts: renderHosts({ hostname: service, addresses: [] }),
  });
  containers.set(id, c);
  await attachContainer(ctx, {
    containerId: id,
    netnsPath: c.netnsPath,
    attachments: networks.map((n, i) => ({
      network: nets[n]!.name,
      names: dnsNamesFor({ project, service, index, aliases: extra.aliases ?? [] }),
      ...(i === 0 && extra.ip ? { ipv4Address: extra.ip } : {}),
      ...(i === 0 && extra.mac ? { macAddress: extra.mac } : {}),
    })),
  });
  return c;
}

async function down(id: string): Promise<void> {
  const r = await detachContainer(ctx, id);
  assert.equal(r.errors, []);
  await containers.get(id)?.stop();
  containers.delete(id);
}

const c = (service: string, index = 1): FakeContainer => containers.get(`${project}-${service}-${index}`)!;
const lookup = async (from: FakeContainer, name: string): Promise<string[]> => {
  const r = await from.exec(['busybox', 'nslookup', name]);
  return [
    ...r.stdout
      .split(/Name:\s*\S+/)
      .slice(1)
      .join('\n')
      .matchAll(/Address:\s*([\d.]+)/g),
  ]
    .map((m) => m[1]!)
    .sort();
};
const tcpEcho = (from: FakeContainer, host: string, port: number, msg: string) => from.exec(['sh', '-c', `echo ${msg} | busybox nc -w 3 ${host} ${port}`]);
const client = (proto: string, host: string, port: number, msg: string, from?: FakeContainer) =>
  from ? from.exec([node, '-e', ECHO_CLIENT, proto, host, String(port), msg]) : sh(node, ['-e', ECHO_CLIENT, proto, host, String(port), msg]);

// Setup is a test, not test.before: uvu 0.5 swallows errors thrown in a before hook.
test('setup: host netns, Docker-like FORWARD DROP, outside client, three networks with DNS', async () => {
  const host = await nl.host();
  await nl.setUp(host, 'lo');
  // A host that ran Docker: iptables-nft filter FORWARD policy DROP.
  await run('iptables', ['-P', 'FORWARD', 'DROP']);
  // The "other machine": a namespace joined to ours by a veth (test plumbing uses ip).
  outside = await startFakeContainer(roots.run, `out${roots.tag}`, { resolvConf: '', hosts: '' });
  await run('ip', ['link', 'add', `tup${roots.tag}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', String(outside.pid)]);
  await run('ip', ['addr', 'add', `${OUTSIDE_HOST}/24`, 'dev', `tup${roots.tag}`]);
  await run('ip', ['link', 'set', `tup${roots.tag}`, 'up']);
  await outside.exec(['ip', 'addr', 'add', `${OUTSIDE_CLIENT}/24`, 'dev', 'eth0']);
  await outside.exec(['ip', 'link', 'set', 'eth0', 'up']);
  await outside.exec(['ip', 'link', 'set', 'lo', 'up']);
  for (const [key, extra] of [
    ['front', {}],
    ['back', { subnet: '10.123.0.0/24', gateway: '10.123.0.254' }],
    ['int', { internal: true }],
  ] as const) {
    nets[key] = await ensureNetwork(ctx, { project, name: `${project}_${key}`, ...extra });
    responders.push(await startDnsResponder(ctx, { network: nets[key].name }));
  }
});

test.after(async () => {
  for (const r of responders) await r.close().catch(() => undefined);
  for (const id of containers.keys()) await down(id).catch(() => undefined);
  for (const n of Object.values(nets)) await removeNetwork(ctx, n.name, { force: true }).catch(() => undefined);
  await outside?.stop();
  await nl.close();
  roots.cleanup();
});

test('ensureNetwork is idempotent and picks a free subnet; explicit ipam honoured', async () => {
  const again = await ensureNetwork(ctx, { project, name: `${project}_front` });
  assert.equal(again, nets.front);
  assert.match(nets.front!.subnet, /^172\.(1[89]|2\d|3[01])\.0\.0\/16$/);
  assert.is(nets.back!.subnet, '10.123.0.0/24');
  assert.is(nets.back!.gateway, '10.123.0.254');
  try {
    await ensureNetwork(ctx, { project, name: `${project}_nope`, external: true });
    assert.unreachable('external network must exist');
  } catch (e) {
    assert.is((e as { code?: string }).code, 'network/not-found');
  }
  try {
    await ensureNetwork(ctx, { project, name: `${project}_clash`, subnet: '10.123.0.128/25' });
    assert.unreachable('overlapping subnet');
  } catch (e) {
    assert.is((e as { code?: string }).code, 'network/subnet-overlap');
  }
  const br = await nl.getLink(await nl.host(), nets.front!.bridge);
  assert.is(br?.kind, 'bridge');
  assert.ok(nets.front!.bridge.startsWith('bth') && nets.front!.bridge.length <= 15);
  // Docker's FORWARD policy DROP (set in setup) is answered by berth's own accepts there.
  const fwd = await run('nft', ['list', 'chain', 'ip', 'filter', 'FORWARD']);
  assert.match(fwd, 'policy drop');
  assert.match(fwd, `iifname "${nets.front!.bridge}" accept comment "berth:${tableName(roots.root)}"`);
});

test('three containers on one network reach each other by service name and alias', async () => {
  await up('web', ['front'], { aliases: ['www'] });
  await up('api', ['front', 'back']);
  await up('cache', ['front']);
  const server = c('web').spawn([node, '-e', ECHO_SERVER, '7000']);
  await ready(server);
  for (const [from, name] of [
    ['api', 'web'],
    ['cache', 'www'],
    ['api', `${project}-web-1`],
    ['cache', 'web-1'],
  ] as const) {
    const ping = await c(from).exec(['busybox', 'ping', '-c1', '-W2', name]);
    assert.is(ping.code, 0, `${from} ping ${name}: ${ping.stdout}${ping.stderr}`);
    const echo = await tcpEcho(c(from), name, 7000, `hi-${from}`);
    assert.match(echo.stdout, `hi-${from}`, `${from} -> ${name} tcp echo: ${echo.stdout}${echo.stderr}`);
  }
  const addrs = await lookup(c('cache'), 'api');
  assert.is(addrs.length, 1);
});

test('all replicas are answered, round robin', async () => {
  await up('worker', ['front'], { index: 1 });
  await up('worker', ['front'], { index: 2 });
  const a = await lookup(c('web'), 'worker');
  assert.is(a.length, 2, `worker -> ${a.join(' ')}`);
  const w2 = await lookup(c('web'), 'worker-2');
  assert.is(w2.length, 1);
  assert.ok(a.includes(w2[0]!), `worker-2 ${w2.join(' ')} is one of ${a.join(' ')}`);
  // A replica whose netns went away (stopped, not yet detached) drops out of the answers.
  await c('worker', 2).stop();
  const host = await nl.host();
  const veth = hostVethNameFor(ctx.root, `${project}-worker-2`, nets.front!.name);
  await poll("the stopped replica's veth to go", async () => !(await nl.listLinks(host)).some((l) => l.name === veth), 2500, 5).catch(() => undefined);
  assert.equal(
    await lookup(c('web'), 'worker'),
    a.filter((x) => x !== w2[0]),
    'stopped replica hidden',
  );
  await down(`${project}-worker-2`);
});

test('two networks isolate; a container on both reaches each side', async () => {
  await up('db', ['back']);
  const api = (await lookup(c('api'), 'db'))[0]!;
  assert.ok(api.startsWith('10.123.0.'), `db resolves on back: ${api}`);
  assert.is((await c('api').exec(['busybox', 'ping', '-c1', '-W2', 'db'])).code, 0, 'api reaches db');
  const webIp = (await lookup(c('api'), 'web'))[0]!;
  const fromDb = await c('db').exec(['busybox', 'ping', '-c1', '-W1', webIp]);
  assert.is.not(fromDb.code, 0, 'db (back only) must not reach web (front only)');
  const dbIp = api;
  const fromWeb = await c('web').exec(['busybox', 'ping', '-c1', '-W1', dbIp]);
  assert.is.not(fromWeb.code, 0, 'web (front only) must not reach db (back only)');
  const name = await lookup(c('db'), 'web');
  assert.equal(name, [], 'web is not a name on back');
});

test('internal network has no route out', async () => {
  const iso = await up('iso', ['int']);
  await up('peer', ['int']);
  assert.is((await iso.exec(['busybox', 'ping', '-c1', '-W2', 'peer'])).code, 0, 'internal peers reach each other');
  const routes = await iso.exec(['ip', 'route']);
  assert.not.match(routes.stdout, 'default');
  assert.is.not((await iso.exec(['busybox', 'ping', '-c1', '-W1', OUTSIDE_CLIENT])).code, 0);
  // A normal network does route out (masquerade), as a sanity check of the same path.
  const out = await c('web').exec(['busybox', 'ping', '-c1', '-W2', OUTSIDE_CLIENT]);
  assert.is(out.code, 0, `web -> outside: ${out.stdout}${out.stderr}`);
});

test('published TCP and UDP ports answer from loopback, the host address and another machine', async () => {
  const pub = await publishPorts(ctx, {
    containerId: `${project}-web-1`,
    service: 'web',
    ports: [
      { hostPort: 18080, containerPort: 7000, protocol: 'tcp' },
      { hostPort: 18080, containerPort: 7000, protocol: 'udp' },
      { hostPort: 0, containerPort: 7000, protocol: 'tcp' },
    ],
  });
  assert.is(pub.length, 3);
  const random = pub[2]!.hostPort;
  assert.ok(random > 1024 && random !== 18080);
  for (const proto of ['tcp', 'udp']) {
    for (const host of ['127.0.0.1', OUTSIDE_HOST]) {
      const r = await client(proto, host, 18080, `m-${proto}`);
      assert.match(r.stdout, `m-${proto}`, `${proto} ${host}: ${r.stdout}${r.stderr}`);
    }
    const r = await client(proto, OUTSIDE_HOST, 18080, `x-${proto}`, outside);
    assert.match(r.stdout, `${OUTSIDE_CLIENT} x-${proto}`, `${proto} from outside keeps the client address: ${r.stdout}${r.stderr}`);
  }
  const rnd = await client('tcp', '127.0.0.1', random, 'rnd');
  assert.match(rnd.stdout, 'rnd');
  // Container -> its own service through the host port (hairpin).
  const hair = await client('tcp', OUTSIDE_HOST, 18080, 'hair', c('api'));
  assert.match(hair.stdout, 'hair', `hairpin: ${hair.stdout}${hair.stderr}`);
});

test('a taken port is a clear error naming service and port, before anything starts', async () => {
  try {
    await checkPortsFree(ctx, [{ service: 'other', hostPort: 18080, protocol: 'tcp' }]);
    assert.unreachable('should fail');
  } catch (e) {
    assert.is((e as { code?: string }).code, 'network/port-in-use');
    assert.match((e as Error).message, 'service other: port 18080/tcp is already in use on 0.0.0.0');
  }
  // The pre-start check of a recreated service does not trip over its own old container...
  await checkPortsFree(ctx, [{ service: 'web', hostPort: 18080, protocol: 'tcp' }]);
  // ...but publishing a second container on the same port does.
  try {
    await publishPorts(ctx, { containerId: `${project}-api-1`, service: 'web', ports: [{ hostPort: 18080, containerPort: 7000, protocol: 'tcp' }] });
    assert.unreachable('should fail');
  } catch (e) {
    assert.is((e as { code?: string }).code, 'network/port-in-use');
  }
  try {
    await checkPortsFree(ctx, [{ service: 'web', hostIp: '::', hostPort: 18098, protocol: 'tcp' }]);
    assert.unreachable('ipv6 host_ip');
  } catch (e) {
    assert.is((e as { code?: string }).code, 'network/invalid-host-ip');
  }
  const { createServer } = await import('node:net');
  const srv = createServer().listen(18099, '0.0.0.0');
  await new Promise((r) => srv.once('listening', r));
  try {
    await checkPortsFree(ctx, [{ service: 'web', hostPort: 18099, protocol: 'tcp' }]);
    assert.unreachable('should fail');
  } catch (e) {
    assert.match((e as Error).message, 'service web: port 18099/tcp is already in use on 0.0.0.0');
  } finally {
    srv.close();
  }
});

test('ipv4_address and mac_address honoured', async () => {
  const f = await up('fixed', ['back'], { ip: '10.123.0.77', mac: '02:42:0a:7b:00:99' });
  const addr = await f.exec(['ip', 'addr', 'show', 'eth0']);
  assert.match(addr.stdout, 'inet 10.123.0.77/24');
  assert.match(addr.stdout, 'link/ether 02:42:0a:7b:00:99');
  assert.equal(await lookup(c('db'), 'fixed'), ['10.123.0.77']);
  try {
    await up('clash', ['back'], { ip: '10.123.0.77' });
    assert.unreachable('duplicate address must fail');
  } catch (e) {
    assert.is((e as { code?: string }).code, 'network/address-in-use');
  }
  await down(`${project}-clash-1`);
});

test('DNS follows a restart with a new address; leases round robin', async () => {
  const before = await lookup(c('web'), 'cache');
  await down(`${project}-cache-1`);
  assert.equal(await lookup(c('web'), 'cache'), [], 'record removed immediately');
  await up('cache', ['front']);
  const after = await lookup(c('web'), 'cache');
  assert.is(after.length, 1, `after restart: ${after.join(' ')} ${(await c('web').exec(['busybox', 'nslookup', 'cache'])).stdout}`);
  assert.is.not(after[0], before[0], 'round robin gives a new address');
  const echo = await tcpEcho(c('cache'), 'web', 7000, 'again');
  assert.match(echo.stdout, 'again');
});

test('removing a network in use: refused, or forced (endpoints detached, veths grouped)', async () => {
  nets.tmp = await ensureNetwork(ctx, { project, name: `${project}_tmp` });
  await up('t', ['tmp'], { index: 1 });
  await up('t', ['tmp'], { index: 2 });
  try {
    await removeNetwork(ctx, nets.tmp.name);
    assert.unreachable('in use');
  } catch (e) {
    assert.is((e as { code?: string }).code, 'network/in-use');
  }
  const r = await removeNetwork(ctx, nets.tmp.name, { force: true });
  assert.equal(r.errors, []);
  const host = await nl.host();
  assert.is(await nl.getLink(host, nets.tmp.bridge), undefined);
  for (const i of [1, 2]) assert.is(await nl.getLink(host, hostVethNameFor(ctx.root, `${project}-t-${i}`, nets.tmp.name)), undefined);
  for (const i of [1, 2]) await down(`${project}-t-${i}`);
  delete nets.tmp;
});

test('the relay runs tools (stdin, stdout, stderr, exit code, signal) while serving netlink calls', async () => {
  const run = nl.exec!;
  const host = await nl.host();
  const [a, b, link, c] = await Promise.all([
    run('/bin/sh', ['-c', 'sleep 0.2; cat; echo err >&2; exit 3'], 'hello'),
    run('/bin/sh', ['-c', 'kill -9 $$'], ''),
    nl.getLink(host, 'lo'),
    run('/bin/echo', ['quick'], ''),
  ]);
  assert.equal(a, { code: 3, stdout: 'hello', stderr: 'err\n' });
  assert.is(b.code, 137);
  assert.is(link?.name, 'lo');
  assert.equal(c, { code: 0, stdout: 'quick\n', stderr: '' });
  const missing = await run('/nonexistent/tool', [], '');
  assert.is(missing.code, 127);
});

test("deleting links answers once the kernel announced them gone; the unregister ends in the relay's child", async () => {
  const host = await nl.host();
  const names = [`bthu${roots.tag}a`.slice(0, 15), `bthu${roots.tag}b`.slice(0, 15)];
  await nl.createLink(host, names[0]!, 'bridge', { up: true });
  await nl.createLink(host, names[1]!, 'bridge', { up: true });
  const existed = await nl.deleteLinks(host, names);
  assert.equal([...existed].sort(), [...names].sort());
  // unlisted, sysfs gone and the names free at once (the second rcu_barrier may still run)
  for (const n of names) {
    assert.is(await nl.getLink(host, n), undefined);
    assert.not.ok(existsSync(`/sys/class/net/${n}`));
  }
  await nl.createLink(host, names[0]!, 'bridge', {});
  assert.ok(await nl.deleteLink(host, names[0]!));
  assert.not.ok(await nl.deleteLink(host, names[0]!), 'a missing link is reported as such');
  const refused = await nl.deleteLinks(host, ['lo']).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(refused instanceof NetlinkError, 'the kernel refuses to delete lo: its error comes through');
});

test('more deletions at once than the relay has children for: the rest are done in place', async () => {
  const host = await nl.host();
  const names = Array.from({ length: 20 }, (_, i) => `bthq${roots.tag}`.slice(0, 12) + String(i).padStart(2, '0'));
  for (const n of names) await nl.createLink(host, n, 'bridge', {});
  assert.equal(
    await Promise.all(names.map((n) => nl.deleteLink(host, n))),
    names.map(() => true),
  );
  for (const n of names) assert.is(await nl.getLink(host, n), undefined);
});

test('a custom bridge name: made by berth = removed with the network; an existing bridge = used, never deleted, its added gateway address removed', async () => {
  const host = await nl.host();
  const mine = `bm${roots.tag}`.slice(0, 15);
  const theirs = `bx${roots.tag}`.slice(0, 15);
  const a = await ensureNetwork(ctx, { project, name: `${project}_mine`, bridgeName: mine });
  assert.equal(readRecord(roots.root, a.name)?.bridgeCreated, true);
  assert.equal((await removeNetwork(ctx, a.name)).errors, []);
  assert.is(await nl.getLink(host, mine), undefined, 'the bridge berth made is gone');
  await nl.createLink(host, theirs, 'bridge', { up: true });
  try {
    const b = await ensureNetwork(ctx, { project, name: `${project}_theirs`, bridgeName: theirs });
    assert.is(readRecord(roots.root, b.name)?.bridgeCreated, undefined);
    const link = (await nl.getLink(host, theirs))!;
    const has = async (address: string): Promise<boolean> => (await nl.listAddresses(host)).some((a) => a.index === link.index && a.address === address);
    assert.ok(await has(b.gateway), 'the gateway address is on the adopted bridge');
    assert.equal((await removeNetwork(ctx, b.name)).errors, []);
    assert.ok(await nl.getLink(host, theirs), 'a bridge that existed before is left alone');
    assert.not.ok(await has(b.gateway), 'the gateway address berth added is taken off again');
    assert.is(readRecord(roots.root, b.name), undefined);
    // an address that was there before the network stays after it
    await nl.addAddress(host, link.index, '10.249.7.1', 24);
    const c = await ensureNetwork(ctx, { project, name: `${project}_theirs2`, bridgeName: theirs, subnet: '10.249.7.0/24', gateway: '10.249.7.1' });
    assert.is(readRecord(roots.root, c.name)?.gatewayAdded, undefined);
    assert.equal((await removeNetwork(ctx, c.name)).errors, []);
    assert.ok(await has('10.249.7.1'), 'a pre-existing address is left alone');
  } finally {
    await nl.deleteLink(host, theirs);
  }
});

test('a removal interrupted after its mark is finished by the next ensureNetwork or removeNetwork', async () => {
  const host = await nl.host();
  const rec = await ensureNetwork(ctx, { project, name: `${project}_crash` });
  writeRecord(roots.root, { ...rec, removing: true }); // as a crash right after the mark leaves it
  const again = await ensureNetwork(ctx, { project, name: rec.name });
  assert.is(again.removing, undefined);
  assert.ok(await nl.getLink(host, again.bridge), 'bridge re-created');
  writeRecord(roots.root, { ...again, removing: true });
  const r = await removeNetwork(ctx, again.name);
  assert.equal(r.errors, []);
  assert.is(await nl.getLink(host, again.bridge), undefined);
  assert.is(readRecord(roots.root, again.name), undefined);
});

test('a network an older berth brought up (names without BERTH_ROOT) comes down: its bridge from the record, host veths from the endpoints', async () => {
  const host = await nl.host();
  const name = `${project}_old`;
  // as berth derived them before names hashed the root (the default root still does)
  nets.old = await ensureNetwork(ctx, { project, name, bridgeName: bridgeNameFor(DEFAULT_BERTH_ROOT, name) });
  const was = (i: number): string => hostVethNameFor(DEFAULT_BERTH_ROOT, `${project}-o-${i}`, name);
  for (const i of [1, 2]) {
    await up('o', ['old'], { index: i });
    const ep = readEndpoint(roots.root, name, `${project}-o-${i}`)!;
    await run('ip', ['link', 'set', ep.hostIfname, 'down']);
    await run('ip', ['link', 'set', ep.hostIfname, 'name', was(i)]);
    writeEndpoint(roots.root, { ...ep, hostIfname: was(i) });
  }
  assert.equal((await detachContainer(ctx, `${project}-o-1`)).errors, []);
  assert.is(await nl.getLink(host, was(1)), undefined, 'detach deletes the recorded host end');
  const r = await removeNetwork(ctx, name, { force: true });
  assert.equal(r.errors, []);
  assert.is(await nl.getLink(host, nets.old.bridge), undefined, 'the recorded bridge is gone');
  assert.is(await nl.getLink(host, was(2)), undefined, "the network's removal deletes the recorded host end");
  for (const i of [1, 2]) await down(`${project}-o-${i}`);
  delete nets.old;
});

test('teardown twice leaves nothing: links, nft rules, FORWARD accepts, leases, records', async () => {
  for (let round = 0; round < 2; round++) {
    // Concurrent detaches share one group delete of their veths (deleteLinkBatched).
    await Promise.all([...containers.keys()].map((id) => down(id)));
    for (const n of Object.values(nets)) {
      const r = await removeNetwork(ctx, n.name);
      assert.equal(r.errors, [], `round ${round} ${n.name}`);
    }
  }
  const links = (await nl.listLinks(await nl.host())).map((l) => l.name).filter((n) => n.startsWith('bth'));
  assert.equal(links, []);
  const tables = await run('nft', ['list', 'tables']);
  assert.not.match(tables, tableName(roots.root));
  const fwd = await run('nft', ['list', 'chain', 'ip', 'filter', 'FORWARD']);
  assert.not.match(fwd, 'berth');
  const ipam = join(roots.root, 'ipam');
  const leases = existsSync(ipam) ? readdirSync(ipam) : [];
  assert.equal(leases, []);
  assert.equal(
    readdirSync(join(roots.root, 'networks')).filter((f) => !f.startsWith('.')),
    [],
  );
  for (const r of responders.splice(0)) await r.close();
});

test('no leaks', async () => {
  await outside.stop();
  assert.equal(findLeaks(roots.tag), []);
  assert.equal(findLeaks(roots.root), []);
});

test.run();
