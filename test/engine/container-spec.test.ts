import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildContainerSpec, mergeEnv, processArgs, portsOf, resourcesOf, attachmentsOf, logConfigOf, namespacesOf } from '../../src/engine/container-spec.js';
import { withGroupAdd } from '../../src/engine/user.js';
import type { LocalImage, Digest } from '../../src/image/types.js';
import { svc, project } from './fixture.js';
import { Labels } from '../../src/api/index.js';

const image = (config: LocalImage['config'] = {}): LocalImage => ({
  id: 'sha256:abc' as Digest,
  reference: undefined,
  digest: undefined,
  config,
  platform: { os: 'linux', architecture: 'amd64' },
  diffIds: [],
  layerDirs: ['/layers/top', '/layers/base'],
  created: undefined,
  size: 0,
  repoTags: [],
  repoDigests: [],
});

test('entrypoint/command rules: a compose entrypoint drops the image Cmd', () => {
  const img = { Entrypoint: ['/entry'], Cmd: ['default'] };
  assert.equal(processArgs({}, img), ['/entry', 'default']);
  assert.equal(processArgs({ command: ['x'] }, img), ['/entry', 'x']);
  assert.equal(processArgs({ entrypoint: ['/mine'] }, img), ['/mine']);
  assert.equal(processArgs({ entrypoint: ['/mine'], command: ['y'] }, img), ['/mine', 'y']);
  assert.equal(processArgs({ entrypoint: null }, img), []);
  assert.equal(processArgs({ command: null }, img), ['/entry']);
  assert.equal(processArgs({}, img, { command: ['run-cmd'] }), ['/entry', 'run-cmd']);
});

test('environment: image, then env_file, then environment; null takes the CLI value or is dropped', () => {
  const env = mergeEnv(['PATH=/bin', 'A=image'], { A: 'file', B: 'file' }, { B: 'compose', C: null, D: null }, { C: 'shell' });
  assert.equal(env, ['PATH=/bin', 'A=file', 'B=compose', 'C=shell']);
});

test('ports: long syntax, ranges expanded, ephemeral host port', () => {
  const s = svc('w', {
    ports: [
      { mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' },
      { mode: 'ingress', target: 53, published: '5353', protocol: 'udp', host_ip: '127.0.0.1' },
      { mode: 'ingress', target: 9000, published: '9000-9001', protocol: 'tcp' },
      { mode: 'ingress', target: 3000, protocol: 'tcp' },
    ],
  });
  assert.equal(portsOf(s), [
    { hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp' },
    { hostIp: '127.0.0.1', hostPort: 5353, containerPort: 53, protocol: 'udp' },
    { hostIp: '', hostPort: 9000, containerPort: 9000, protocol: 'tcp' },
    { hostIp: '', hostPort: 9001, containerPort: 9001, protocol: 'tcp' },
    { hostIp: '', hostPort: 0, containerPort: 3000, protocol: 'tcp' },
  ]);
});

test('resources from the service keys and deploy limits', () => {
  assert.equal(resourcesOf(svc('a', { mem_limit: 1024, cpus: 0.5, pids_limit: 10 })), { memory: 1024, cpuPeriod: 100000, cpuQuota: 50000, pidsLimit: 10 });
  assert.equal(resourcesOf(svc('a', { deploy: { resources: { limits: { memory: 2048, cpus: 1.5 } } } })), { memory: 2048, cpuPeriod: 100000, cpuQuota: 150000 });
  assert.is(resourcesOf(svc('a')), undefined);
});

test('network attachments carry every DNS name (service, container, SERVICE-N, aliases)', () => {
  const s = svc('web', { networks: { front: { aliases: ['www'] }, back: null } });
  const p = project('p', [s], { networks: { front: { name: 'p_front' }, back: { name: 'p_back' } } });
  assert.equal(attachmentsOf(p, s, { id: 'x', name: 'p-web-2', number: 2, hash: 'h' }), [
    { network: 'p_front', names: ['p-web-2', 'web', 'web-2', 'www'] },
    { network: 'p_back', names: ['p-web-2', 'web', 'web-2'] },
  ]);
  assert.equal(attachmentsOf(p, svc('x', { network_mode: 'none' }), { id: 'x', name: 'p-x-1', number: 1, hash: 'h' }), []);
  assert.equal(attachmentsOf(p, svc('x', { network_mode: 'host' }), { id: 'x', name: 'p-x-1', number: 1, hash: 'h' }), []);
});

test("links: [db:database] makes database a DNS name of db's containers", () => {
  const db = svc('db');
  const p = project('p', [db, svc('web', { links: ['db:database', 'db'] })]);
  assert.equal(attachmentsOf(p, db, { id: 'x', name: 'p-db-1', number: 1, hash: 'h' })[0]!.names, ['database', 'db', 'db-1', 'p-db-1']);
});

test('logging: max-size and max-file rotate the log file, driver none has none', () => {
  assert.equal(logConfigOf({ logging: { driver: 'json-file', options: { 'max-size': '2k', 'max-file': '3' } } }), { logMaxBytes: 2048, logMaxFiles: 3 });
  assert.equal(logConfigOf({ logging: { driver: 'local', options: { 'max-size': '1m' } } }), { logMaxBytes: 1048576 });
  assert.equal(logConfigOf({ logging: { driver: 'none', options: { 'max-size': '1m' } } }), { noLog: true });
  assert.equal(logConfigOf({}), {});
});

test('devices, oom_score_adj, cgroup host and group_add reach the container config', () => {
  const s = svc('w', { command: ['sh'], devices: [{ source: '/dev/zero', target: '/dev/z', permissions: 'r' }], oom_score_adj: 345, cgroup: 'host' });
  const c = buildContainerSpec(project('p', [s]), s, image(), { id: 'p-w-1', name: 'p-w-1', number: 1, hash: 'h' }, { volumeDir: () => '/v', env: {} }).config;
  assert.equal(c.devices, [{ hostPath: '/dev/zero', containerPath: '/dev/z', permissions: 'r' }]);
  assert.is(c.oomScoreAdj, 345);
  assert.is(namespacesOf(s, undefined).cgroup, 'host');
  assert.equal(withGroupAdd(undefined, [4242, 33]), { uid: 0, gid: 0, additionalGids: [4242, 33] });
  assert.equal(withGroupAdd({ uid: 1, gid: 1, additionalGids: [5] }, [5, 7]), { uid: 1, gid: 1, additionalGids: [5, 7] });
  assert.is(withGroupAdd(undefined, []), undefined);
});

test('full container config: mounts, caps, user, labels, stop signal and grace period', () => {
  const s = svc('web', {
    command: ['httpd', '-f'],
    working_dir: '/srv',
    volumes: [
      { type: 'bind', source: '/home/me/site', target: '/www', read_only: true },
      { type: 'volume', source: 'data', target: '/data' },
      { type: 'tmpfs', target: '/cache', tmpfs: { size: 1048576 } },
    ],
    tmpfs: ['/run:size=64m,mode=1777'],
    cap_add: ['NET_ADMIN'],
    cap_drop: ['MKNOD'],
    security_opt: ['seccomp=unconfined'],
    stop_signal: 'SIGQUIT',
    stop_grace_period: 2_000_000_000,
    ulimits: { nofile: { soft: 100, hard: 200 }, nproc: { single: 50 } },
    labels: { team: 'a' },
    hostname: 'webhost',
  });
  const p = project('p', [s], { volumes: { data: { name: 'p_data' } } });
  const built = buildContainerSpec(
    p,
    s,
    image({ Env: ['PATH=/bin'], Cmd: ['sh'], Volumes: { '/var/lib/x': {} } }),
    { id: 'p-web-1-abcd', name: 'p-web-1', number: 1, hash: 'h1' },
    {
      volumeDir: (v) => `/vol/${v.source ?? `anon${v.target}`}`,
      env: {},
      user: { uid: 33, gid: 33 },
      resolvConf: 'nameserver 10.0.0.1\n',
    },
  );
  const c = built.config;
  assert.equal(c.process.args, ['httpd', '-f']);
  assert.is(c.process.cwd, '/srv');
  assert.equal(c.process.user, { uid: 33, gid: 33 });
  assert.equal(c.rootfs, { lowerDirs: ['/layers/top', '/layers/base'] });
  assert.equal(c.mounts, [
    { type: 'bind', source: '/home/me/site', target: '/www', readOnly: true, createHostPath: true },
    { type: 'bind', source: '/vol/data', target: '/data', createHostPath: true },
    { type: 'tmpfs', target: '/cache', sizeBytes: 1048576 },
    { type: 'bind', source: '/vol/anon/var/lib/x', target: '/var/lib/x', createHostPath: true },
    { type: 'tmpfs', target: '/run', sizeBytes: 64 * 1024 * 1024, mode: 0o1777 },
  ]);
  assert.equal(c.capAdd, ['NET_ADMIN']);
  assert.equal(c.capDrop, ['MKNOD']);
  assert.is(c.seccomp, 'unconfined');
  assert.is(c.stopSignal, 'SIGQUIT');
  assert.is(c.stopTimeoutMs, 2000);
  assert.equal(c.ulimits, [
    { name: 'nofile', soft: 100, hard: 200 },
    { name: 'nproc', soft: 50, hard: 50 },
  ]);
  assert.is(c.hostname, 'webhost');
  assert.is(c.initFiles?.resolvConf, 'nameserver 10.0.0.1\n');
  assert.is(c.labels?.team, 'a');
  assert.is(c.labels?.[Labels.project], 'p');
  assert.is(c.labels?.[Labels.service], 'web');
  assert.is(c.labels?.[Labels.containerNumber], '1');
  assert.is(c.labels?.[Labels.configHash], 'h1');
  assert.is(c.labels?.[Labels.oneoff], 'False');
  assert.is(c.labels?.[Labels.image], 'sha256:abc');
});

test('no command anywhere is a clear error', () => {
  const s = svc('x');
  assert.throws(() => buildContainerSpec(project('p', [s]), s, image({}), { id: 'i', name: 'p-x-1', number: 1, hash: 'h' }, { volumeDir: () => '', env: {} }), /service x: no command specified/);
});

test.run();
