import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAfterOf, desiredState } from '../../src/engine/desired.js';
import { joinedNetwork } from '../../src/engine/network-mode.js';
import { engineContext } from '../../src/engine/index.js';
import { FakeRuntime, FakeNetwork, fakeImages } from './fakes.js';
import { project, svc } from './fixture.js';

test('container:NAME of a project container is created after that service; service:X as before', () => {
  const p = project('p', [svc('main'), svc('side', { network_mode: 'service:main' }), svc('byname', { network_mode: 'container:p-main-1' }), svc('ext', { network_mode: 'container:other' })]);
  const d = desiredState(p);
  assert.equal(Object.fromEntries(d.services.map((s) => [s.name, s.createAfter])), { byname: ['main'], ext: [], main: [], side: ['main'] });
  assert.equal(createAfterOf(svc('x', { network_mode: 'container:x-1' })), []);
});

test('hostname with network_mode service:X / container:NAME is refused before anything is made (Docker: conflicting options)', () => {
  for (const mode of ['service:main', 'container:other']) {
    const p = project('p', [svc('main'), svc('side', { network_mode: mode, hostname: 'mine' })]);
    try {
      desiredState(p);
      assert.unreachable('accepted');
    } catch (err) {
      assert.is((err as { code?: string }).code, 'engine/hostname-network-mode');
      assert.match(String((err as Error).message), `service side: conflicting options: hostname and network_mode ${mode}`);
    }
  }
  assert.ok(desiredState(project('p', [svc('main', { hostname: 'h' }), svc('side', { network_mode: 'service:main' })])));
  assert.ok(desiredState(project('p', [svc('h', { hostname: 'h', network_mode: 'host' })])));
});

test("joinedNetwork: X's netns, its three files bound over the container's, X's hostname", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-netmode-'));
  try {
    const etc = join(dir, 'etc');
    mkdirSync(etc);
    writeFileSync(join(etc, 'hostname'), 'mainhost\n');
    const runtime = new FakeRuntime();
    runtime.etcFiles = async () => ({ hosts: join(etc, 'hosts'), hostname: join(etc, 'hostname'), resolvConf: join(etc, 'resolv.conf') });
    const ctx = engineContext({ ports: { runtime, network: new FakeNetwork(), images: fakeImages(dir) }, env: { BERTH_ROOT: join(dir, 'root'), BERTH_RUN: join(dir, 'run') } });
    await runtime.create({ id: 'p-main-1', name: 'p-main-1', rootfs: { dir }, process: { args: ['sh'] }, labels: { 'berth.project': 'p', 'berth.service': 'main' } });
    await runtime.start('p-main-1');
    const j = (await joinedNetwork(ctx, { name: 'p' }, svc('side', { network_mode: 'service:main', hostname: 'ignored' })))!;
    assert.equal(
      j.mounts.map((m) => [m.type === 'bind' ? m.source : '', m.target]),
      [
        [join(etc, 'hosts'), '/etc/hosts'],
        [join(etc, 'hostname'), '/etc/hostname'],
        [join(etc, 'resolv.conf'), '/etc/resolv.conf'],
      ],
    );
    assert.is(j.hostname, 'mainhost');
    assert.ok(typeof j.namespaces.net === 'object');
    assert.is(await joinedNetwork(ctx, { name: 'p' }, svc('plain')), undefined);
    try {
      await joinedNetwork(ctx, { name: 'p' }, svc('lost', { network_mode: 'container:nope' }));
      assert.unreachable();
    } catch (err) {
      assert.is((err as { code?: string }).code, 'engine/network-mode');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
