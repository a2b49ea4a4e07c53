import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { skipUnlessKernel, stackLinks } from '../../helpers/kernel.js';
import { freePort } from '../../helpers/registry.js';
import { makeStack, poll, stopRegistry, type Stack } from '../harness.js';
import { tableName } from '../../../src/network/index.js';

const CYCLES = Number(process.env.BERTH_LEAK_CYCLES ?? 50);

/**
 * Kernel memory that berth's leaks would hold (unreclaimable slab: namespaces, veths, nft objects;
 * shmem: tmpfs mounts; kernel stacks: processes), not MemAvailable: other processes' anonymous
 * memory (a build beside the test) moves MemAvailable by hundreds of MiB and says nothing of berth.
 */
function kernelHeldKiB(): number {
  const meminfo = readFileSync('/proc/meminfo', 'utf8');
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(meminfo)?.[1] ?? 0);
  return field('SUnreclaim') + field('Shmem') + field('KernelStack');
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
    // one warm-up cycle so the image pull and first-use caches are not counted as growth
    assert.is((await s.berth(['up', '-d'])).code, 0);
    assert.is(links.left().length, 8, `its 2 bridges and 6 veths are seen: ${links.left().join(' ')}`);
    assert.is((await s.berth(['down'])).code, 0);
    const held = kernelHeldKiB();
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
    const grown = kernelHeldKiB() - held;
    assert.ok(grown < 16 * 1024, `kernel memory back where it was (unreclaimable slab + shmem + kernel stacks grew by ${grown} KiB)`);
  });

  test.run();
}
