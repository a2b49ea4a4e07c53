// The EPIPE rule (cli/epipe.ts) is added as stdout/stderr are first used, so that an attached
// `container run`, which writes to neither before it execs into the shim, never makes them:
// making them loads Node's stream modules (~3 ms of every start, bench/runtime).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EventEmitter } from 'node:events';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { endQuietlyOnEpipe, type Proc } from '../../src/cli/epipe.js';
import { findLeaks, makeTestRoots, skipUnlessKernel } from '../helpers/kernel.js';

const repo = join(import.meta.dirname, '..', '..', '..');

function fakeProcess(): { proc: Proc; made: string[]; exits: number[] } {
  const made: string[] = [];
  const exits: number[] = [];
  const proc = {
    exit: (code: number) => exits.push(code),
  } as unknown as Proc;
  for (const name of ['stdout', 'stderr']) {
    let stream: EventEmitter | undefined;
    Object.defineProperty(proc, name, {
      configurable: true,
      enumerable: true,
      get: () => {
        if (!stream) made.push(name);
        return (stream ??= new EventEmitter());
      },
    });
  }
  return { proc, made, exits };
}

test('no stream is made until it is used; then EPIPE ends with 141 and other errors do not', () => {
  const { proc, made, exits } = fakeProcess();
  endQuietlyOnEpipe(proc);
  assert.equal(made, [], 'installing makes no stream');
  const out = proc.stdout as unknown as EventEmitter;
  assert.equal(made, ['stdout']);
  assert.is(proc.stdout as unknown, out, 'the same stream on every read');
  assert.equal(made, ['stdout']);
  out.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
  assert.equal(exits, [141]);
  (proc.stderr as unknown as EventEmitter).emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
  assert.equal(exits, [141, 141]);
  out.emit('error', Object.assign(new Error('write EIO'), { code: 'EIO' }));
  assert.equal(exits, [141, 141], 'only EPIPE');
});

if (!skipUnlessKernel('epipe-lazy (container run)')) {
  test('an attached container run reaches the exec without making stdout or stderr', () => {
    const t = makeTestRoots('epipe-lazy');
    try {
      const rootfs = join(t.root, '..', 'rootfs');
      execFileSync(join(repo, 'fixtures', 'rootfs', 'make-busybox-rootfs.sh'), [rootfs]);
      // stands in for the exec: records what Node loaded, then ends as a run of /bin/true would
      const seen = join(t.root, '..', 'loaded.json');
      const preload = join(t.root, '..', 'preload.cjs');
      writeFileSync(preload, `process.execve = () => { require('node:fs').writeFileSync(${JSON.stringify(seen)}, JSON.stringify(process.moduleLoadList)); process.reallyExit(0); };\n`);
      const r = spawnSync(process.execPath, ['-r', preload, join(repo, 'bin', 'berth'), 'container', 'run', '--rm', '--rootfs', rootfs, '/bin/true'], {
        env: { ...process.env, BERTH_ROOT: t.root, BERTH_RUN: t.run },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      assert.is(r.status, 0, r.stderr);
      assert.ok(existsSync(seen), 'the run reached the exec');
      const loaded = JSON.parse(readFileSync(seen, 'utf8')) as string[];
      for (const m of ['NativeModule internal/fs/sync_write_stream', 'NativeModule tty', 'NativeModule net', 'NativeModule stream']) assert.not.ok(loaded.includes(m), `${m} was loaded`);
      assert.equal(findLeaks(t.root), []);
    } finally {
      t.cleanup();
    }
  });
}

test.run();
