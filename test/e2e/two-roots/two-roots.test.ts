// Two BERTH_ROOTs (two users, two test runs) with one project name up at once: each has its
// own bridge and veths, so one's `down` leaves the other working. Before the fix the bridge
// name derived from the network name only: the second `up` adopted the first's bridge and
// the first `down` deleted it under the second's containers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { skipUnlessKernel, stackLinks, type StackLinks } from '../../helpers/kernel.js';
import { makeStack, poll, stopRegistry, type Stack } from '../harness.js';

if (!skipUnlessKernel('e2e two-roots')) {
  const stacks: { s: Stack; links: StackLinks }[] = [];
  let project = '';
  const network = (): string => `${project}_default`;

  test.after(async () => {
    // both down before any leak check: findLeaks(project) would count the other root's stack
    for (const { s } of stacks) await s.berth(['-p', project, 'down', '-v', '-t', '1']).catch(() => undefined);
    const leaks: string[] = [];
    for (const { s, links } of stacks) leaks.push(...links.left(), ...(await s.teardown()));
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  const page = async (s: Stack): Promise<string> => {
    const r = await s.berth(['-p', project, 'exec', 'client', 'wget', '-q', '-O', '-', 'http://web/']);
    return r.code === 0 ? r.out.trim() : `exit ${r.code}: ${r.err.trim()}`;
  };
  const bridgeOf = (s: Stack): string => (JSON.parse(readFileSync(join(s.roots.root, 'networks', `${network()}.json`), 'utf8')) as { bridge: string }).bridge;

  test('one project under two roots: each reaches its own containers; one down leaves the other working', async () => {
    for (const mark of ['a', 'b']) {
      const s = await makeStack('two-roots');
      project ||= s.project; // both roots use the first's project name
      s.env.MARK = `${mark}${s.roots.tag}`;
      stacks.push({ s, links: stackLinks(s.roots.root, [`${project}_default`]) });
    }
    const [a, b] = stacks.map((x) => x.s) as [Stack, Stack];
    for (const s of [a, b]) {
      const up = await s.berth(['-p', project, 'up', '-d']);
      assert.is(up.code, 0, up.err);
      stacks.find((x) => x.s === s)!.links.note();
    }
    for (const s of [a, b]) assert.is(await poll(`web of ${s.env.MARK}`, async () => ((await page(s)) === s.env.MARK ? s.env.MARK : undefined)), s.env.MARK);
    const bridges = [bridgeOf(a), bridgeOf(b)];

    assert.is((await a.berth(['-p', project, 'down'])).code, 0);
    assert.equal(stacks[0]!.links.left(), [], "the first root's links are gone");
    assert.is(await page(b), b.env.MARK, 'the second root still reaches its web');
    assert.ok(stacks[1]!.links.left().length >= 3, `the second root keeps its bridge and veths: ${stacks[1]!.links.left().join(' ')}`);
    assert.is.not(bridges[0], bridges[1], 'two bridges');

    assert.is((await b.berth(['-p', project, 'down'])).code, 0);
    assert.equal(stacks[1]!.links.left(), [], "the second root's links are gone");
  });

  test.run();
}
