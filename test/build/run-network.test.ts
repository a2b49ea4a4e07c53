// Regression (issue 12, class 6, network): a build's RUN gets its own network namespace on a
// build bridge with outbound NAT, not the host's network; `--network=host` needs the
// `network.host` entitlement. The file runs in its own network namespace (re-executed under
// `unshare -n`; it plays the host), so the build bridge and nft table live there; another
// namespace joined by a veth plays a server on another machine that RUN reaches through NAT.
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, readlinkSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findLeaks, makeTestRoots, skipUnlessKernel } from '../helpers/kernel.js';
import { buildBusybox } from '../helpers/registry.js';
import { buildDeps, buildImage, type BuildEvent, type BuildRequest } from '../../src/build/index.js';
import { LayeredFs } from '../../src/build/layered-fs.js';
import { openImageStore } from '../../src/image/store.js';
import { BerthError } from '../../src/errors.js';
import { ensureNetwork, listNetworks, tableName } from '../../src/network/index.js';
import { BUILD_NETWORK_PROJECT } from '../../src/build/run-network.js';
import { ECHO_SERVER, ready, runInOwnNetns, sh, startFakeContainer, type FakeContainer, missingTools, test } from '../network/netns.js';

const repo = join(import.meta.dirname, '..', '..', '..');
const haveTools = (): string | undefined =>
  existsSync(join(repo, 'native', 'build', 'berth-shim'))
    ? missingTools(['/usr/sbin/nft', '/usr/sbin/ip', '/usr/bin/unshare', '/usr/bin/nsenter', '/bin/busybox'])
    : 'native/build/berth-shim not built';
if (skipUnlessKernel('build RUN network', haveTools)) process.exit(0);
runInOwnNetns(import.meta.filename);

const roots = makeTestRoots('brn');
const env = { BERTH_ROOT: roots.root, BERTH_RUN: roots.run };
const ctxDir = join(roots.root, '..', 'ctx');
const OUTSIDE_HOST = '198.51.100.1';
const OUTSIDE_SERVER = '198.51.100.2';
let outside: FakeContainer;

async function run(cmd: string, args: string[]): Promise<string> {
  const r = await sh(cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** Builds `dockerfile` and returns the text of `file` in the image. */
async function buildAndRead(dockerfile: string, file: string, extra: Partial<BuildRequest> = {}): Promise<string> {
  const events: BuildEvent[] = [];
  const r = await buildImage(buildDeps(env), { context: ctxDir, dockerfileInline: dockerfile, tags: [], noCache: true, onEvent: (e) => events.push(e), ...extra });
  const st = await new LayeredFs(r.image.layerDirs).lstat(file);
  assert.ok(
    st,
    `${file} in the image; output: ${events
      .filter((e) => e.type === 'output')
      .map((e) => e.text)
      .join('\n')}`,
  );
  return readFileSync(st.abs, 'utf8').trim();
}

test('setup: busybox in the store, loopback up, a server on another machine', async () => {
  mkdirSync(ctxDir, { recursive: true });
  await buildBusybox(openImageStore(join(roots.root, 'images')), 'busybox:1.36');
  await run('ip', ['link', 'set', 'lo', 'up']);
  outside = await startFakeContainer(roots.run, `brn${roots.tag}`, { resolvConf: '', hosts: '' });
  await run('ip', ['link', 'add', `brn${roots.tag}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', String(outside.pid)]);
  await run('ip', ['addr', 'add', `${OUTSIDE_HOST}/24`, 'dev', `brn${roots.tag}`]);
  await run('ip', ['link', 'set', `brn${roots.tag}`, 'up']);
  for (const args of [
    ['ip', 'addr', 'add', `${OUTSIDE_SERVER}/24`, 'dev', 'eth0'],
    ['ip', 'link', 'set', 'eth0', 'up'],
    ['ip', 'link', 'set', 'lo', 'up'],
  ]) {
    const r = await outside.exec(args);
    assert.is(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  }
  await ready(outside.spawn([process.execPath, '-e', ECHO_SERVER, '7000']));
});

test("RUN runs in its own network namespace, not the host's", async () => {
  const ns = await buildAndRead('FROM busybox:1.36\nRUN readlink /proc/self/ns/net > /netns && cat /proc/net/dev > /ifaces\n', '/netns');
  assert.is.not(ns, readlinkSync('/proc/self/ns/net'), "RUN shared the host's network namespace");
  const ifaces = await buildAndRead('FROM busybox:1.36\nRUN sed 1,2d /proc/net/dev | cut -d: -f1 | tr -d " " | sort > /ifaces\n', '/ifaces');
  assert.equal(ifaces.split('\n'), ['eth0', 'lo'], 'only its own interfaces');
});

test("RUN reaches another machine through outbound NAT (the server sees the host's address)", async () => {
  const reply = await buildAndRead(`FROM busybox:1.36\nRUN echo hi | nc ${OUTSIDE_SERVER} 7000 > /reply\n`, '/reply');
  assert.is(reply, `${OUTSIDE_HOST} hi\n`.trim());
});

test('RUN --network=host needs the network.host entitlement; with it, RUN shares the host network', async () => {
  const df = 'FROM busybox:1.36\nRUN --network=host readlink /proc/self/ns/net > /netns\n';
  const err = await buildImage(buildDeps(env), { context: ctxDir, dockerfileInline: df, tags: [], noCache: true }).catch((e: unknown) => e);
  assert.ok(err instanceof BerthError, String(err));
  assert.is(err.code, 'build/entitlement');
  assert.match(err.message, 'network.host');
  assert.is(await buildAndRead(df, '/netns', { allow: ['network.host'] }), readlinkSync('/proc/self/ns/net'));
  // the build's default network (compose `build.network: host`) is held to the same rule
  const err2 = await buildImage(buildDeps(env), { context: ctxDir, dockerfileInline: 'FROM busybox:1.36\nRUN true\n', tags: [], noCache: true, network: 'host' }).catch((e: unknown) => e);
  assert.ok(err2 instanceof BerthError && err2.code === 'build/entitlement', String(err2));
});

test('RUN --network=none has loopback only', async () => {
  const ifaces = await buildAndRead('FROM busybox:1.36\nRUN --network=none sed 1,2d /proc/net/dev | cut -d: -f1 | tr -d " " > /ifaces\n', '/ifaces');
  assert.is(ifaces, 'lo');
});

test('a build network a crashed build left (its owner process gone) is removed by the next build', async () => {
  const ctx = { root: roots.root };
  const stale = await ensureNetwork(ctx, { name: `berth-build-stale${roots.tag}`, project: BUILD_NETWORK_PROJECT, labels: { 'berth.build.owner': '999999999 1' } });
  assert.match(await run('ip', ['-o', 'link', 'show', stale.bridge]), stale.bridge);
  await buildAndRead('FROM busybox:1.36\nRUN echo ok > /ok\n', '/ok');
  assert.equal(listNetworks(ctx, BUILD_NETWORK_PROJECT), []);
  assert.not.match(await run('ip', ['-o', 'link', 'show']), stale.bridge);
});

test('nothing left behind: build bridges, nft table, network records, containers', async () => {
  await outside.stop();
  // (this namespace's links: /sys/class/net shows the host's, sysfs being mounted there)
  assert.not.match(await run('ip', ['-o', 'link', 'show']), /: bth/);
  assert.not.match(await run('nft', ['list', 'tables']), tableName(roots.root));
  const records = join(roots.root, 'networks');
  assert.equal(existsSync(records) ? readdirSync(records).filter((f) => !f.startsWith('.')) : [], []);
  const containers = join(roots.root, 'containers');
  assert.equal(existsSync(containers) ? readdirSync(containers) : [], []);
  assert.equal([...findLeaks(roots.root), ...findLeaks(roots.tag)], []);
  roots.cleanup();
});

test.run();
