// What crosses the host's boundary with berth's networks (issue 12).
// Regression, class 5 (the CVE-2020-8558 class): berth sets route_localnet=1 on its bridges so
// that published ports answer on 127.0.0.1. Without a drop rule, a container that routes
// 127.0.0.0/8 to its gateway reaches host services bound to 127.0.0.1 only.
// Forwarding: with ip_forward on, another machine that routes a berth subnet to this host
// reaches only published ports (as Docker's FORWARD policy drop).
// The file runs in its own network namespace (it plays the host); the "container" and the
// "other machine" are stand-in processes in their own namespaces, root in there.
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:net';
import { findLeaks, makeTestRoots, skipUnlessKernel } from '../helpers/kernel.js';
import { attachContainer, detachContainer, ensureNetwork, openNetlink, publishPorts, removeNetwork, tableName, type NetworkContext, type NetworkRecord } from '../../src/network/index.js';
import { ECHO_CLIENT, ECHO_SERVER, ready, runInOwnNetns, sh, startFakeContainer, type FakeContainer, missingTools, test } from './netns.js';

const haveTools = (): string | undefined => missingTools(['/usr/sbin/nft', '/usr/sbin/ip', '/usr/bin/unshare', '/usr/bin/nsenter']);
if (skipUnlessKernel('network loopback', haveTools)) process.exit(0);
runInOwnNetns(import.meta.filename);

const roots = makeTestRoots('hb');
const nl = openNetlink();
const ctx: NetworkContext = { root: roots.root, netlink: nl };
const id = `lo${roots.tag}-app-1`;
const node = process.execPath;
let net: NetworkRecord;
let box: FakeContainer;
let secret: Server;
let outside: FakeContainer;
const SECRET_PORT = 17001;
const OUTSIDE_HOST = '198.51.100.1';
const OUTSIDE_CLIENT = '198.51.100.2';

async function run(cmd: string, args: string[]): Promise<string> {
  const r = await sh(cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

test('setup: a network, a container on it that routes 127.0.0.0/8 to its gateway, a host service on 127.0.0.1 only', async () => {
  await nl.setUp(await nl.host(), 'lo');
  net = await ensureNetwork(ctx, { project: `lo${roots.tag}`, name: `lo${roots.tag}_default` });
  box = await startFakeContainer(roots.run, id, { resolvConf: '', hosts: '' });
  await attachContainer(ctx, { containerId: id, netnsPath: box.netnsPath, attachments: [{ network: net.name, names: ['app'] }] });
  // what a hostile container (root in its netns) can do: take 127/8 off its lo, route it to the gateway
  for (const args of [
    ['ip', 'addr', 'flush', 'dev', 'lo'],
    ['sysctl', '-qw', 'net.ipv4.conf.all.route_localnet=1'],
    ['sysctl', '-qw', 'net.ipv4.conf.eth0.route_localnet=1'],
    ['ip', 'route', 'add', '127.0.0.0/8', 'via', net.gateway, 'dev', 'eth0'],
  ]) {
    const r = await box.exec(args);
    assert.is(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  }
  secret = createServer((c) => c.end('secret\n'));
  await new Promise<void>((resolve) => secret.listen(SECRET_PORT, '127.0.0.1', resolve));
});

test('a container cannot reach a host service bound to 127.0.0.1 through its gateway', async () => {
  const r = await box.exec([node, '-e', ECHO_CLIENT, 'tcp', '127.0.0.1', String(SECRET_PORT), 'hello']);
  assert.not.match(r.stdout, 'secret', 'the container read the host-only service');
  assert.match(r.stdout, /timeout|error/);
});

test('a port published on 127.0.0.1 still answers from the host', async () => {
  const server = box.spawn([node, '-e', ECHO_SERVER, '7000']);
  await ready(server);
  await box.exec(['ip', 'addr', 'add', '127.0.0.1/8', 'dev', 'lo']);
  const pub = await publishPorts(ctx, {
    containerId: id,
    service: 'app',
    ports: [
      { hostIp: '127.0.0.1', hostPort: 17002, containerPort: 7000, protocol: 'tcp' },
      { hostPort: 17003, containerPort: 7000, protocol: 'tcp' },
    ],
  });
  assert.is(pub.length, 2);
  const r = await sh(node, ['-e', ECHO_CLIENT, 'tcp', '127.0.0.1', '17002', 'pub']);
  assert.match(r.stdout, 'pub', `${r.stdout}${r.stderr}`);
});

test('another machine routing the subnet here reaches published ports only', async () => {
  outside = await startFakeContainer(roots.run, `out${roots.tag}`, { resolvConf: '', hosts: '' });
  await run('ip', ['link', 'add', `hbo${roots.tag}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', String(outside.pid)]);
  await run('ip', ['addr', 'add', `${OUTSIDE_HOST}/24`, 'dev', `hbo${roots.tag}`]);
  await run('ip', ['link', 'set', `hbo${roots.tag}`, 'up']);
  for (const args of [
    ['ip', 'addr', 'add', `${OUTSIDE_CLIENT}/24`, 'dev', 'eth0'],
    ['ip', 'link', 'set', 'eth0', 'up'],
    ['ip', 'route', 'add', net.subnet, 'via', OUTSIDE_HOST],
  ]) {
    const r = await outside.exec(args);
    assert.is(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  }
  const ip = (await box.exec(['ip', '-4', '-o', 'addr', 'show', 'dev', 'eth0'])).stdout.match(/inet ([\d.]+)/)![1]!;
  const direct = await outside.exec([node, '-e', ECHO_CLIENT, 'tcp', ip, '7000', 'direct']);
  assert.not.match(direct.stdout, 'direct', `routed straight to the container: ${direct.stdout}`);
  const published = await outside.exec([node, '-e', ECHO_CLIENT, 'tcp', OUTSIDE_HOST, '17003', 'pub']);
  assert.match(published.stdout, `${OUTSIDE_CLIENT} pub`, `a published port: ${published.stdout}${published.stderr}`);
  // the container's own outbound connections still get their replies
  const back = outside.spawn([node, '-e', ECHO_SERVER, '7001']);
  await ready(back);
  const out = await box.exec([node, '-e', ECHO_CLIENT, 'tcp', OUTSIDE_CLIENT, '7001', 'out']);
  assert.match(out.stdout, 'out', `outbound: ${out.stdout}${out.stderr}`);
});

test('teardown leaves nothing: links, the nft table', async () => {
  secret.close();
  await outside?.stop();
  assert.equal((await detachContainer(ctx, id)).errors, []);
  await box.stop();
  assert.equal((await removeNetwork(ctx, net.name)).errors, []);
  assert.not.match(await run('nft', ['list', 'tables']), tableName(roots.root));
  await nl.close();
  assert.equal(findLeaks(roots.tag), []);
  assert.equal(findLeaks(roots.root), []);
  roots.cleanup();
});

test.run();
