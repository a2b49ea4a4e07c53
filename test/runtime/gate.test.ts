// The exec fifo gate (runtime/gate.ts): a service that passes the gate and ends at once
// (`/bin/true`) is started, never "exited before it started". Before the fix the init
// could write its byte and end between a read that found nothing and the liveness check,
// which then failed the start (the runtime bench's in-process row, now and then).
// Root-free; the ordering is forced through the liveness question.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { passGate } from '../../src/runtime/gate.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-test-gate-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const fifo = (name: string): string => {
  const path = join(dir, name);
  assert.is(spawnSync('mkfifo', [path]).status, 0);
  return path;
};

test('the init writes its byte and ends between a read and the liveness check: started', async () => {
  const path = fifo('fast');
  let asked = 0;
  await passGate('fast', path, () => {
    asked++;
    // the init: past the gate (its byte), then gone
    const w = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
    writeSync(w, '0');
    closeSync(w);
    return false;
  });
  assert.is(asked, 1);
});

test('an init gone without passing the gate: exited before it started', async () => {
  const err = await passGate('gone', fifo('gone'), () => false).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.match(String(err), /container gone exited before it started/);
  assert.is((err as { code?: string }).code, 'runtime/not-running');
});

test.run();
