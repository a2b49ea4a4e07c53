// `berth deploy --to swarm` end to end against a real one-node swarm on a private dockerd
// the test starts and stops by PID (test/helpers/dockerd.ts, under flock
// /tmp/berth-dockerd.lock). This host's kernel has no IPVS: the fixture uses endpoint_mode
// dnsrr and a host-mode published port. Skips with a printed reason without root or docker.io.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeployEvent, DeployOptions } from '../../src/api/index.js';
import { createDeployer } from '../../src/deploy/index.js';
import { dockerSkipReason, LOCK_FILE, startDockerd, type TestDockerd } from '../helpers/dockerd.js';
import { hostProcesses } from '../helpers/kernel.js';
import { poll } from '../helpers/poll.js';
import { buildBusybox, freePort, isolatedRegistryConfig, startRegistry } from '../helpers/registry.js';
import { findLocalImage, openImageStore, pushImage } from '../../src/image/index.js';
import { deployRoot, writeStackFile } from './fixtures.js';

const skip = dockerSkipReason();
const NAME = `berth-deploy-${process.pid}`;
const PROJECT = `bd${process.pid}`;
let dockerd: TestDockerd | undefined;
let dir = '';
let started = 0;
let port = 0;
const env: Record<string, string> = { IMAGE: 'berth-deploy-bb:1', WORKERS: '2' };
const events: DeployEvent[] = [];

function options(extra: Partial<DeployOptions> = {}): DeployOptions {
  return {
    source: { files: [join(dir, 'compose.yaml')], projectName: PROJECT, envFiles: [], profiles: [], env: { ...env, WEB_PORT: String(port) }, cwd: dir },
    target: 'swarm',
    dockerSocket: dockerd!.socket,
    onEvent: (e) => {
      if (e.kind === 'deploy') events.push(e);
    },
    ...extra,
  };
}

const docker = (...args: string[]): string => dockerd!.docker(args);
const inspect = (name: string): any => JSON.parse(docker('service', 'inspect', name))[0];
const running = (service: string): string[] =>
  docker('service', 'ps', '--filter', 'desired-state=running', '--format', '{{.CurrentState}}', service)
    .split('\n')
    .filter((l) => l.startsWith('Running'));
const workerExec = (cmd: string): string => {
  const id = docker('ps', '-q', '--filter', `label=com.docker.swarm.service.name=${PROJECT}_worker`).split('\n')[0]!;
  return docker('exec', id, 'sh', '-c', cmd);
};
const leftovers = (ns: string): string[] =>
  ['service', 'network', 'secret', 'config', 'volume']
    .flatMap((k) =>
      docker(k, 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${ns}`)
        .split('\n')
        .filter(Boolean)
        .map((id) => `${k} ${id}`),
    )
    .concat(
      docker('ps', '-aq', '--filter', `label=com.docker.stack.namespace=${ns}`)
        .split('\n')
        .filter(Boolean)
        .map((id) => `container ${id}`),
    );

if (skip) {
  console.log(`swarm-e2e: skipped: ${skip}`);
  test('swarm e2e (skipped)', () => undefined);
} else {
  test.before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-deploy-'));
    cpSync(join(deployRoot, 'stack'), dir, { recursive: true });
    port = await freePort();
    const asked = Date.now();
    dockerd = await startDockerd(NAME);
    started = asked + dockerd.lockWaitMs;
    console.log(`swarm-e2e: waited ${Math.round(dockerd.lockWaitMs / 1000)} s for ${LOCK_FILE}`);
  });
  test.after(async () => {
    await dockerd?.stop();
    console.log(`swarm-e2e: ran ${Math.round((Date.now() - started) / 1000)} s with the lock held`);
    rmSync(dir, { recursive: true, force: true });
  });

  test('deploy converges: web healthy on its host port, 2 workers reach web by name over the overlay network', async () => {
    await createDeployer().deploy(options());
    assert.equal(running(`${PROJECT}_web`).length, 1);
    assert.equal(running(`${PROJECT}_worker`).length, 2);
    const said = events.map((e) => `${e.object} ${e.name} ${e.action}`);
    // depends_on: worker is created only once web converged (its task is running = healthy)
    assert.ok(said.indexOf(`Service ${PROJECT}_web running`) < said.indexOf(`Service ${PROJECT}_worker creating`), said.join('\n'));
    const page = await poll('the host port to answer', async () => (await fetch(`http://127.0.0.1:${port}/index.html`).catch(() => undefined))?.text(), 20_000);
    assert.is(page, '<h1>berth deploy</h1>\n');
    await poll('a worker to fetch the page from web', () => workerExec('cat /data/last 2>/dev/null') === page, 20_000);
    assert.is(workerExec('cat /run/secrets/token'), 's3cret-1');
    const ws = inspect(`${PROJECT}_web`);
    assert.is(ws.Spec.Labels['com.docker.stack.namespace'], PROJECT);
    assert.is(ws.Spec.EndpointSpec.Mode, 'dnsrr');
    assert.is(ws.Spec.EndpointSpec.Ports[0].PublishMode, 'host');
  });

  test('the service specs equal what docker stack deploy makes from the same file (keys both support)', async () => {
    const stackFile = writeStackFile(dir);
    const stackPort = await freePort();
    const STACK = `st${process.pid}`;
    dockerd!.docker(['stack', 'deploy', '--resolve-image', 'never', '-c', stackFile, STACK], { ...env, WEB_PORT: String(stackPort) });
    const networks = new Map<string, string>(JSON.parse(docker('network', 'inspect', ...docker('network', 'ls', '-q').split('\n').filter(Boolean))).map((n: any) => [n.Id, n.Name]));
    const normal = (spec: any, ns: string): any => {
      delete spec.Labels['berth.spec-hash'];
      const c = spec.TaskTemplate.ContainerSpec;
      for (const [field, nameKey, idKey] of [
        ['Secrets', 'SecretName', 'SecretID'],
        ['Configs', 'ConfigName', 'ConfigID'],
      ] as const) {
        for (const r of c[field] ?? []) {
          delete r[idKey];
          r[nameKey] = String(r[nameKey]).replace(/_[0-9a-f]{12}$/, '');
        }
        c[field]?.sort((a: any, b: any) => (a.File.Name < b.File.Name ? -1 : 1));
      }
      for (const n of spec.TaskTemplate.Networks ?? []) n.Target = networks.get(n.Target) ?? n.Target;
      for (const p of spec.EndpointSpec?.Ports ?? []) p.PublishedPort = 'PORT';
      return JSON.parse(JSON.stringify(spec).split(ns).join('NS'));
    };
    const pairs = ['web', 'worker'].map((service) => [service, normal(inspect(`${PROJECT}_${service}`).Spec, PROJECT), normal(inspect(`${STACK}_${service}`).Spec, STACK)] as const);
    docker('stack', 'rm', STACK);
    // docker stack rm keeps volumes, and a network still in use when it asked stays too
    await poll(
      'the stack to go',
      () => {
        for (const left of leftovers(STACK)) {
          const [kind, id] = left.split(' ') as [string, string];
          if (kind !== 'container') dockerd!.docker([kind, 'rm', id]).toString();
        }
        return leftovers(STACK).length === 0;
      },
      60_000,
    );
    for (const [service, ours, theirs] of pairs) assert.equal(ours, theirs, service);
  });

  test('a second deploy with nothing changed changes nothing', async () => {
    const before = ['web', 'worker'].map((s) => inspect(`${PROJECT}_${s}`).Version.Index);
    events.length = 0;
    await createDeployer().deploy(options());
    assert.equal(
      ['web', 'worker'].map((s) => inspect(`${PROJECT}_${s}`).Version.Index),
      before,
    );
    assert.not.ok(
      events.some((e) => ['created', 'updated', 'removed'].includes(e.action)),
      events.map((e) => `${e.name} ${e.action}`).join('\n'),
    );
  });

  test('scaling 2 -> 3, a changed image rolls', async () => {
    env.WORKERS = '3';
    await createDeployer().deploy(options());
    assert.equal(running(`${PROJECT}_worker`).length, 3);
    env.IMAGE = 'berth-deploy-bb:2';
    await createDeployer().deploy(options());
    // the tasks swarm keeps running (the old ones may still be stopping: sh as pid 1 waits out its grace period)
    const images = docker('service', 'ps', '--filter', 'desired-state=running', '--format', '{{.Image}} {{.CurrentState}}', `${PROJECT}_worker`)
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ').slice(0, 2).join(' '));
    assert.equal(images, ['berth-deploy-bb:2 Running', 'berth-deploy-bb:2 Running', 'berth-deploy-bb:2 Running']);
    assert.is(inspect(`${PROJECT}_web`).Spec.TaskTemplate.ContainerSpec.Image, 'berth-deploy-bb:2');
  });

  test('a changed secret makes a new object the services use; the old one goes', async () => {
    const old = docker('secret', 'ls', '--format', '{{.Name}}', '--filter', `label=com.docker.stack.namespace=${PROJECT}`).trim();
    writeFileSync(join(dir, 'token.txt'), 's3cret-2');
    await createDeployer().deploy(options());
    const now = docker('secret', 'ls', '--format', '{{.Name}}', '--filter', `label=com.docker.stack.namespace=${PROJECT}`).trim();
    assert.match(now, new RegExp(`^${PROJECT}_token_[0-9a-f]{12}$`));
    assert.is.not(now, old);
    assert.is(inspect(`${PROJECT}_worker`).Spec.TaskTemplate.ContainerSpec.Secrets[0].SecretName, now);
    await poll('the worker to see the new secret', () => workerExec('cat /run/secrets/token') === 's3cret-2', 20_000);
  });

  test('--ps lists the running tasks', async () => {
    const tasks = (await createDeployer().ps(options())).filter((t) => t.desired === 'running');
    assert.equal(
      tasks.map((t) => `${t.name} ${t.state}`),
      [`${PROJECT}_web.1 running`, `${PROJECT}_worker.1 running`, `${PROJECT}_worker.2 running`, `${PROJECT}_worker.3 running`],
    );
  });

  test('--push: an image berth pushed runs pinned by the digest the registry holds', async () => {
    const reg = await startRegistry();
    const root = mkdtempSync(join(tmpdir(), 'berth-deploy-root-'));
    const pdir = mkdtempSync(join(tmpdir(), 'berth-deploy-pin-'));
    const ref = `${reg.host}/berth-deploy/pinned:1`;
    const PIN = `pin${process.pid}`;
    const pinned = (extra: Partial<DeployOptions> = {}): DeployOptions => ({
      source: { files: [join(pdir, 'compose.yaml')], projectName: PIN, envFiles: [], profiles: [], env: { BERTH_ROOT: root }, cwd: pdir },
      target: 'swarm',
      dockerSocket: dockerd!.socket,
      pinImages: true,
      ...extra,
    });
    try {
      const store = openImageStore(join(root, 'images'));
      await buildBusybox(store, ref);
      await pushImage(store, ref, { registryConfig: isolatedRegistryConfig(root) }); // what `berth push` does
      const digest = (await findLocalImage(store, ref))!.record.manifest!;
      writeFileSync(join(pdir, 'compose.yaml'), `services:\n  app:\n    image: ${ref}\n    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]\n    deploy:\n      endpoint_mode: dnsrr\n`);
      await createDeployer().deploy(pinned());
      assert.is(inspect(`${PIN}_app`).Spec.TaskTemplate.ContainerSpec.Image, `${ref}@${digest}`);
      assert.is(inspect(`${PIN}_app`).Spec.Labels['com.docker.stack.image'], ref);
      assert.equal(running(`${PIN}_app`).length, 1);
    } finally {
      await createDeployer().down(pinned({ volumes: true }));
      await reg.stop();
      rmSync(root, { recursive: true, force: true });
      rmSync(pdir, { recursive: true, force: true });
    }
    assert.equal(leftovers(PIN), []);
  });

  test('--down removes everything; a second --down changes nothing', async () => {
    events.length = 0;
    await createDeployer().down(options({ volumes: true }));
    assert.equal(leftovers(PROJECT), []);
    assert.ok(events.some((e) => e.object === 'Volume'));
    events.length = 0;
    await createDeployer().down(options({ volumes: true }));
    assert.equal(events, []);
  });

  test('the daemon stops by its PID and leaves nothing behind', async () => {
    await dockerd!.stop();
    assert.equal(hostProcesses(NAME), []);
    assert.not.ok(existsSync(`/run/${NAME}`));
    assert.not.ok(existsSync(`/var/lib/${NAME}`));
    assert.not.ok(existsSync('/sys/class/net/docker_gwbridge'));
  });
}

test.run();
