import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { skipUnlessKernel, stackLinks } from '../../helpers/kernel.js';
import { freePort } from '../../helpers/registry.js';
import { makeStack, poll, stopRegistry, type Stack } from '../harness.js';
import { tableName } from '../../../src/network/index.js';

const CYCLES = Number(process.env.BERTH_LEAK_CYCLES ?? 50);
/** A network namespace holds ~175 KiB of kernel memory: one left per container would be ~43 MiB. */
const LIMIT_KIB = 4 * 1024;

/**
 * Kernel memory that berth's leaks would hold (namespaces, veths, nft objects, kernel stacks),
 * charged to this test's own memory cgroup: the test process moves itself in, so what berth
 * does for it (CLI, relay, shims, supervisor, the namespaces they clone) is charged there and
 * nothing another test does is (host-wide counters, MemAvailable or SUnreclaim, move with every
 * test running beside this one). cgroup v1: `memory.kmem.usage_in_bytes`; v2: `kernel` in
 * memory.stat. Undefined (with the reason printed) where neither is there.
 */
function ownKernelMemory(name: string): { kib(): number; close(): void } | undefined {
  const own = readFileSync('/proc/self/cgroup', 'utf8').split('\n');
  const v1 = own.find((l) => /^\d+:([^:]*,)?memory(,[^:]*)?:/.test(l));
  const base = v1 ? '/sys/fs/cgroup/memory' : '/sys/fs/cgroup';
  const from = join(base, (v1 ?? own.find((l) => l.startsWith('0::')) ?? '0::/').split(':')[2]!);
  const dir = join(base, name);
  const read = (): number => {
    if (v1) return Number(readFileSync(join(dir, 'memory.kmem.usage_in_bytes'), 'utf8')) / 1024;
    return Number(/^kernel (\d+)$/m.exec(readFileSync(join(dir, 'memory.stat'), 'utf8'))?.[1]) / 1024;
  };
  try {
    mkdirSync(dir);
    writeFileSync(join(dir, 'cgroup.procs'), String(process.pid));
    if (!Number.isFinite(read())) throw new Error(`no kernel memory figure in ${dir}`);
  } catch (err) {
    console.log(`# skip the kernel memory check: ${(err as Error).message}`);
    if (existsSync(dir)) {
      writeFileSync(join(from, 'cgroup.procs'), String(process.pid));
      rmdirSync(dir);
    }
    return undefined;
  }
  return {
    kib: read,
    close() {
      writeFileSync(join(from, 'cgroup.procs'), String(process.pid));
      try {
        rmdirSync(dir);
      } catch {
        // busy: something of the test's still runs in it; the teardown's leak check names it
      }
    },
  };
}

function nftTables(): string {
  try {
    return execFileSync('nft', ['list', 'tables'], { encoding: 'utf8' });
  } catch {
    return '';
  }
}

function dirEntries(p: string): string[] {
  return existsSync(p) ? readdirSync(p) : [];
}

if (!skipUnlessKernel('e2e leak')) {
  let s: Stack | undefined;
  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  test(`${CYCLES} up -d / down cycles of 5 services on 2 networks leave nothing behind`, async () => {
    s = await makeStack('leak');
    s.env.LEAK_PORT = String(await freePort());
    // this stack's links only: other tests' stacks come and go meanwhile
    const links = stackLinks(s.roots.root, [`${s.project}_front`, `${s.project}_back`]);
    const ownTable = `table ip ${tableName(s.roots.root)}`;
    // named for the project: the teardown's findLeaks sees it if it stays
    const kmem = ownKernelMemory(`${s.project}-kmem`);
    try {
      // one warm-up cycle so the image pull and first-use caches are not counted as growth
      assert.is((await s.berth(['up', '-d'])).code, 0);
      assert.is(links.left().length, 8, `its 2 bridges and 6 veths are seen: ${links.left().join(' ')}`);
      assert.is((await s.berth(['down'])).code, 0);
      const held = kmem?.kib() ?? 0;
      for (let i = 0; i < CYCLES; i++) {
        const up = await s.berth(['up', '-d']);
        assert.is(up.code, 0, `cycle ${i} up: ${up.err}`);
        links.note();
        const down = await s.berth(['down', '-t', '1']);
        assert.is(down.code, 0, `cycle ${i} down: ${down.err}`);
      }
      // the kernel frees a netns's veths asynchronously: give it a bounded moment
      await poll('its links gone', () => links.left().length === 0, 10_000).catch(() => undefined);
      assert.equal(links.left(), [], 'no bridge or veth left');
      // its own table only: other tests running meanwhile add and remove theirs
      assert.not.ok(nftTables().split('\n').includes(ownTable), `no nft table left (${ownTable})`);
      assert.equal(dirEntries(join(s.roots.root, 'containers')), [], 'no container state left');
      assert.equal(dirEntries(join(s.roots.root, 'projects')), [], 'no project state left');
      for (const net of dirEntries(join(s.roots.root, 'ipam')))
        assert.equal(
          dirEntries(join(s.roots.root, 'ipam', net)).filter((f) => !f.startsWith('.')),
          [],
          `no lease left in ${net}`,
        );
      if (kmem) {
        // a namespace is freed by a kernel worker after its last user: a bounded moment
        const grown = (): number => Math.round(kmem.kib() - held);
        await poll('kernel memory back', () => grown() < LIMIT_KIB, 10_000).catch(() => undefined);
        console.log(`# kernel memory charged to the test's own cgroup grew by ${grown()} KiB over ${CYCLES} cycles`);
        assert.ok(grown() < LIMIT_KIB, `kernel memory back where it was (its own cgroup's grew by ${grown()} KiB)`);
      }
    } finally {
      kmem?.close();
    }
  });

  test.run();
}
