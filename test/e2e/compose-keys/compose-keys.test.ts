// Compose keys applied by the local engine, seen from inside the container: the device node,
// the extra groups in `id -G`, /proc/1/oom_score_adj, the host's cgroup paths, a link's
// alias in DNS, log rotation at max-size with max-file files, no log file for driver none.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { skipUnlessKernel } from '../../helpers/kernel.js';
import { makeStack, poll, stopRegistry, type Stack } from '../harness.js';

if (!skipUnlessKernel('e2e compose-keys')) {
  let s: Stack | undefined;
  const st = (): Stack => s!;
  const exec = async (service: string, ...args: string[]): Promise<string> => {
    const r = await st().berth(['exec', '-T', service, ...args]);
    assert.is(r.code, 0, `${args.join(' ')}: ${r.err}`);
    return r.out.trim();
  };
  /** The runtime directory of a service's container (the one holding its log file). */
  const containerDir = (service: string): string => {
    const dir = join(st().roots.root, 'containers');
    const id = readdirSync(dir).find((d) => d.includes(`-${service}-1`));
    assert.ok(id, `a container for ${service} in ${readdirSync(dir).join(' ')}`);
    return join(dir, id!);
  };

  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  /** A block device of the host (blkio throttles name one), or none. */
  const blockDevice = readdirSync('/sys/block')
    .filter((d) => !/^(loop|ram|zram|dm-)/.test(d))
    .map((d) => `/dev/${d}`)
    .find((d) => existsSync(d));
  let upErr = '';

  test('up -d', async () => {
    s = await makeStack('compose-keys');
    if (blockDevice)
      writeFileSync(
        join(s.dir, 'compose.override.yaml'),
        `services:\n  limits:\n    blkio_config:\n      device_read_bps: [{path: ${blockDevice}, rate: 1mb}]\n      device_write_iops: [{path: ${blockDevice}, rate: 120}]\n`,
      );
    const up = await s.berth(['up', '-d']);
    assert.is(up.code, 0, up.err);
    upErr = up.err;
    const notApplied = up.err.split('\n').filter((l) => l.includes('not applied:'));
    assert.is(notApplied.length, 1, `only storage_opt warns:\n${notApplied.join('\n')}`);
    assert.match(notApplied[0]!, /compose\.yaml:\d+: services\.client\.storage_opt: not applied: /);
  });

  test('oom_kill_disable, mem_swappiness: the memory cgroup (v1) as the container sees it', async (): Promise<void> => {
    if (existsSync('/sys/fs/cgroup/cgroup.controllers')) return console.log('  (cgroup v2: no oom_kill_disable/swappiness files; a warning names them)');
    assert.match(await exec('limits', 'cat', '/sys/fs/cgroup/memory/memory.oom_control'), /oom_kill_disable 1/);
    assert.is(await exec('limits', 'cat', '/sys/fs/cgroup/memory/memory.swappiness'), '7');
  });

  test('blkio_config: throttles on the host block device', async (): Promise<void> => {
    if (!blockDevice || existsSync('/sys/fs/cgroup/cgroup.controllers')) return console.log('  (no block device or cgroup v2: skipped)');
    const rdev = statSync(blockDevice).rdev;
    const dev = `${(rdev >> 8) & 0xfff}:${(rdev & 0xff) | ((rdev >> 12) & 0xfff00)}`;
    assert.is(await exec('limits', 'cat', '/sys/fs/cgroup/blkio/blkio.throttle.read_bps_device'), `${dev} 1048576`);
    assert.is(await exec('limits', 'cat', '/sys/fs/cgroup/blkio/blkio.throttle.write_iops_device'), `${dev} 120`);
  });

  test('blkio_config.weight where the host has no blkio.weight (no BFQ): one warning names it', () => {
    if (existsSync('/sys/fs/cgroup/blkio/blkio.weight') || existsSync('/sys/fs/cgroup/cgroup.controllers')) return;
    assert.match(upErr, /limits-1[^\n]*: this host's cgroups have no blkio\.weight: that limit is not applied/);
  });

  test('devices: the node is there and readable', async () => {
    assert.is(await exec('keys', 'sh', '-c', 'test -c /dev/berthzero && head -c 4 /dev/berthzero | od -An -tx1'), '00 00 00 00');
  });

  test('device_cgroup_rules: a node made inside with mknod can be opened (the cgroup allows it)', async () => {
    const r = await st().berth(['exec', '-T', 'keys', 'sh', '-c', 'mknod /tmp/fuse c 10 229 && exec 3<>/tmp/fuse && echo readable']);
    assert.is(r.out.trim(), 'readable', r.out + r.err);
    const other = await st().berth(['exec', '-T', 'client', 'sh', '-c', 'mknod /tmp/fuse c 10 229 && exec 3<>/tmp/fuse']);
    assert.is.not(other.code, 0, 'without the rule the device cgroup refuses it');
  });

  test('group_add: the extra groups in id -G (numbers and names from the image)', async () => {
    const groups = (await exec('keys', 'id', '-G')).split(/\s+/);
    assert.ok(groups.includes('4242') && groups.includes('33'), groups.join(' '));
  });

  test('oom_score_adj: /proc/1/oom_score_adj', async () => {
    assert.is(await exec('keys', 'cat', '/proc/1/oom_score_adj'), '345');
  });

  test("cgroup: host: the host's cgroup paths (berth/...) are seen", async () => {
    assert.match(await exec('keys', 'cat', '/proc/1/cgroup'), /berth/);
    assert.not.match(await exec('client', 'cat', '/proc/1/cgroup'), /berth/);
  });

  test("links: the link's alias resolves to the linked service", async () => {
    const r = await st().berth(['exec', '-T', 'client', 'nslookup', 'keyhost']);
    assert.is(r.code, 0, r.out + r.err);
    assert.match(r.out, /Address:? .*\d+\.\d+\.\d+\.\d+/);
  });

  test('logging: rotated at max-size, max-file files in all; logs shows the newest lines', async () => {
    const dir = containerDir('chatty');
    await poll('chatty wrote its last line', async () => (await st().berth(['logs', 'chatty'])).out.includes('done'), 20_000);
    const files = readdirSync(dir)
      .filter((f) => /^container\.log(\.\d+)?$/.test(f))
      .sort();
    assert.is(files.length, 3, files.join(' '));
    for (const f of files) assert.ok(statSync(join(dir, f)).size <= 2048 + 200, `${f}: ${statSync(join(dir, f)).size} bytes`);
    const out = (await st().berth(['logs', 'chatty'])).out;
    assert.match(out, /line 399/);
    assert.not.match(out, /line 0 padding/, 'the oldest lines were rotated away');
  });

  test('annotations: recorded with the container (berth container inspect)', async () => {
    const id = containerDir('keys').split('/').pop()!;
    const r = await st().berth(['container', 'inspect', id]);
    assert.is(r.code, 0, r.err);
    assert.match(r.out, /"com\.example\.team": "storage"/);
  });

  test('post_start ran in the container (as its user, with its environment)', async () => {
    assert.is(await exec('keys', 'cat', '/tmp/post_start'), 'started 33');
  });

  test('pre_stop runs before the container is stopped', async () => {
    const stop = await st().berth(['stop', 'keys']);
    assert.is(stop.code, 0, stop.err);
    assert.is(readFileSync(join(st().dir, 'hooks', 'pre_stop'), 'utf8'), 'stopping\n');
    const start = await st().berth(['start', 'keys']);
    assert.is(start.code, 0, start.err);
  });

  test('logging: driver none writes no log file', async () => {
    assert.is(await exec('quiet', 'echo', 'alive'), 'alive');
    const dir = containerDir('quiet');
    assert.equal(
      readdirSync(dir).filter((f) => f.startsWith('container.log')),
      [],
      readdirSync(dir).join(' '),
    );
    assert.not.match((await st().berth(['logs', 'quiet'])).out, /hello/);
  });
}

test.run();
