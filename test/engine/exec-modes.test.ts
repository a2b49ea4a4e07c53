// The engine's `exec -d` and `exec --privileged` against the fake runtime: the command goes to
// the runtime's detached exec as given (no /bin/sh wrapper), --privileged is passed through
// (also for a container that is not privileged), a command that cannot start is a typed error.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BerthError, isBerthError } from '../../src/errors.js';
import { harness, type Harness } from './fakes.js';

let h: Harness;
test.before.each(() => {
  h = harness('proj');
});
test.after.each(async () => {
  await h.close();
});

const COMPOSE = `
services:
  web:
    image: busybox:1.36
    command: ["httpd", "-f"]
`;

test('exec -d hands the command to the runtime unchanged, with --privileged, -e, -w', async () => {
  h.writeCompose(COMPOSE);
  await h.engine.up({ source: h.source(), detach: true });
  const code = await h.engine.exec({ source: h.source(), service: 'web', command: ['/bin/busybox-x', 'touch', '/made'], detach: true, privileged: true, env: ['A=1'], workdir: '/tmp' });
  assert.is(code, 0);
  assert.equal(
    h.runtime.detached.map((d) => d.options),
    [{ args: ['/bin/busybox-x', 'touch', '/made'], env: ['A=1'], cwd: '/tmp', privileged: true }],
  );
  await h.engine.down({ source: h.source() });
});

test('exec -d: a command that cannot start is runtime/exec-not-found naming the container once, as attached exec', async () => {
  h.writeCompose(COMPOSE);
  await h.engine.up({ source: h.source(), detach: true });
  h.runtime.execDetached = async (id: string) => {
    throw new BerthError('runtime/exec-not-found', `container ${id}: cannot start "nope": executable file not found in $PATH`);
  };
  let err: unknown;
  await h.engine.exec({ source: h.source(), service: 'web', command: ['nope'], detach: true }).catch((e: unknown) => (err = e));
  assert.ok(isBerthError(err) && err.code === 'runtime/exec-not-found', String(err));
  assert.match((err as Error).message, /^container proj-web-1-[0-9a-f]+: cannot start "nope": executable file not found in \$PATH$/);
  await h.engine.down({ source: h.source() });
});

test.run();
