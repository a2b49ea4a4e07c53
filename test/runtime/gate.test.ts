// The exec fifo gate (runtime/gate.ts): a service that passes the gate and ends at once
// (`/bin/true`) is started, never "exited before it started". Before the fix the init
// could write its byte and end between a read that found nothing and the liveness check,
// which then failed the start (the runtime bench's in-process row, now and then).
// Root-free; the ordering is forced through the liveness question. Past the gate the init
// holds the fifo until the exec closes it: the start waits for that, and a failure in
// between (the shim's JSON error line) rejects the start instead of reaching only the log.
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

/**
 * passGate on a new fifo with the init's side (the write end, opened once passGate holds the
 * read end: it opens it at the call) given `writes`; closing it is the exec's close-on-exec.
 */
const pastTheGate = (id: string, writes: readonly string[]): { started: Promise<void>; exec(): void } => {
  const path = fifo(id);
  const started = passGate(id, path, () => true);
  const w = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  for (const data of writes) writeSync(w, data);
  return { started, exec: () => closeSync(w) };
};
const rejection = (p: Promise<void>): Promise<unknown> =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );
const settled = async <T>(p: Promise<T>): Promise<boolean> => {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
  return done;
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
  const err = await rejection(passGate('gone', fifo('gone'), () => false));
  assert.match(String(err), /container gone exited before it started/);
  assert.is((err as { code?: string }).code, 'runtime/not-running');
});

test('past the gate the start waits for the exec (the fifo closed), then resolves', async () => {
  const init = pastTheGate('execs', ['0']);
  assert.is(await settled(init.started), false, 'not before the exec');
  init.exec();
  await init.started;
});

test("a failure past the gate rejects the start with the shim's error, naming the container", async () => {
  const init = pastTheGate('web-1-abc', ['0', '{"type":"error","syscall":"execve","errno":13,"path":"/srv/run","message":"permission denied"}\n']);
  init.exec(); // the init reported and ended
  const err = await rejection(init.started);
  assert.is((err as { code?: string }).code, 'runtime/exec-denied');
  assert.is((err as Error).message, 'container web-1-abc: cannot start "/srv/run": permission denied');
  assert.match(String((err as { hint?: string }).hint), /mode and owner/);
});

test('the byte and the error in one read: still the error', async () => {
  const init = pastTheGate('c1', ['0{"type":"error","syscall":"chdir","errno":20,"path":"/etc/passwd","message":"cannot enter the working directory"}\n']);
  init.exec();
  assert.is(((await rejection(init.started)) as Error).message, 'container c1: chdir /etc/passwd: cannot enter the working directory (ENOTDIR)');
});

test.run();
