// A failed `up` (an image the registry does not have) makes nothing: no network record, no
// bridge, no volume, no container, as docker compose (it pulls before it creates). Before the
// fix, the project's network was made while images resolved and stayed behind.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { skipUnlessKernel } from '../../helpers/kernel.js';
import { bridgeNameFor } from '../../../src/network/names.js';
import { makeStack, stopRegistry, type Stack } from '../harness.js';

const list = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).sort() : []);

if (!skipUnlessKernel('e2e pull-first')) {
  let s: Stack | undefined;

  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  test('up with an unpullable image fails and leaves no network, bridge, volume or container', async () => {
    s = await makeStack('pull-first');
    const up = await s.berth(['up', '-d']);
    assert.is.not(up.code, 0, up.out);
    assert.match(up.err, /no-such-image/);
    const root = s.roots.root;
    assert.equal(
      list(join(root, 'networks')).filter((f) => f.includes(s!.project)),
      [],
      'no network record',
    );
    assert.not.ok(existsSync(`/sys/class/net/${bridgeNameFor(root, `${s.project}_front`)}`), 'no bridge');
    assert.equal(
      list(join(root, 'volumes')).filter((f) => f.includes(s!.project)),
      [],
      'no volume',
    );
    assert.equal(list(join(root, 'containers')), [], 'no container');
    const ls = await s.berth(['network', 'ls', '--format', 'json']);
    assert.not.match(ls.out, new RegExp(`${s.project}_front`), ls.out);
  });
}

test.run();
