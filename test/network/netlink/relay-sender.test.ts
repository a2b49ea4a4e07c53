// The netlink relay takes requests only from the process that started it (issue 12): its
// stdin must be the parent's socketpair (SO_PEERCRED: the parent, same euid) or an anonymous
// pipe; a file, or a socket whose peer is another process, is refused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { relayPath } from '../../../src/network/netlink/relay.js';

let relay: string | undefined;
try {
  relay = relayPath();
} catch {
  console.log('# skip relay sender check: native/build/berth-net not built');
}

if (relay) {
  const path = relay;
  test("requests from the parent (Node's socketpair) are served; EOF ends the relay", () => {
    const r = spawnSync(path, [], { input: '', encoding: 'utf8' });
    assert.is(r.status, 0, r.stderr);
  });

  test('stdin from a file, or a socket whose peer is not the parent, is refused', () => {
    const fd = openSync('/dev/null', 'r');
    try {
      const r = spawnSync(path, [], { stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8' });
      assert.is(r.status, 2);
      assert.match(r.stderr, 'refused');
    } finally {
      closeSync(fd);
    }
    // the socketpair's peer is this process, the relay's parent a shell in between
    const r = spawnSync('/bin/sh', ['-c', `${JSON.stringify(path)}; exit $?`], { input: '', encoding: 'utf8' });
    assert.is(r.status, 2);
    assert.match(r.stderr, 'refused');
  });
}

test.run();
