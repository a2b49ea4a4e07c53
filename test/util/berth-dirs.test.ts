// BERTH_ROOT / BERTH_RUN modes (issue 12): made 0711, an existing one of ours tightened, a
// shared sticky directory never touched; JSON state that holds environments is 0600.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureStateRoot } from '../../src/util/berth-dirs.js';
import { writeJson } from '../../src/runtime/store.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-roots-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const mode = (p: string): number => statSync(p).mode & 0o7777;

test('a missing root and its missing parents are made 0711', () => {
  const root = join(dir, 'a', 'b', 'root');
  ensureStateRoot(root);
  assert.is(mode(root), 0o711);
  assert.is(mode(join(dir, 'a')), 0o711);
  ensureStateRoot(root);
  assert.is(mode(root), 0o711, 'idempotent');
});

test('an existing root of ours loses group/other read and write; a sticky shared dir is left alone', () => {
  const root = join(dir, 'open');
  mkdirSync(root);
  chmodSync(root, 0o777);
  ensureStateRoot(root);
  assert.is(mode(root), 0o711);
  const shared = join(dir, 'shared');
  mkdirSync(shared);
  chmodSync(shared, 0o1777);
  ensureStateRoot(shared);
  assert.is(mode(shared), 0o1777);
});

test("a container's JSON state (its config holds the environment) is written 0600", () => {
  const f = join(dir, 'config.json');
  writeJson(f, { pid: 1, pidStart: '1', shimPid: 1 });
  assert.is(mode(f), 0o600);
});

test.run();
