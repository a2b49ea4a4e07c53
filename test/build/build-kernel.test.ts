// Real kernel: builds fixtures/build/basic (two stages over busybox:1.36 pulled from a
// loopback registry) with berth's runtime for RUN, runs the result, rebuilds from the cache,
// checks failures (bad Dockerfile, failing RUN) and that nothing is left behind.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findLeaks, makeTestRoots, skipUnlessKernel, type TestRoots } from '../helpers/kernel.js';
import { startTestRegistry, type TestRegistry } from '../helpers/registry.js';
import { tarBuffer } from '../../src/image/tar-writer.js';
import { buildDeps, buildImage, type BuildEvent } from '../../src/build/index.js';
import { LayeredFs } from '../../src/build/layered-fs.js';
import { deleteContainer, readLogs, runContainer, runtimeContext, waitContainer } from '../../src/runtime/index.js';
import { SpecError } from '../../src/errors.js';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'build');

if (!skipUnlessKernel('build (real kernel)', () => (existsSync(join(import.meta.dirname, '..', '..', '..', 'native', 'build', 'berth-shim')) ? undefined : 'native/build/berth-shim not built'))) {
  let roots: TestRoots;
  let reg: TestRegistry;
  let env: Record<string, string>;
  let ctxDir: string;

  test.before(async () => {
    roots = makeTestRoots('build');
    reg = await startTestRegistry();
    env = { BERTH_ROOT: roots.root, BERTH_RUN: roots.run, ...reg.mirrorEnv };
    ctxDir = join(roots.root, '..', 'ctx');
    cpSync(join(FIXTURES, 'basic'), ctxDir, { recursive: true });
    writeFileSync(
      join(ctxDir, 'bundle.tar'),
      tarBuffer([
        { name: 'bundle/', type: 'directory', mode: 0o755, mtime: 1700000000 },
        { name: 'bundle/readme.txt', type: 'file', mode: 0o644, mtime: 1700000000, data: 'from the archive\n' },
      ]),
    );
  });

  test.after(async () => {
    await reg?.stop();
    const leaks = [...findLeaks(roots.root), ...findLeaks('berth-build-')];
    roots?.cleanup();
    assert.equal(leaks, [], 'nothing left behind');
  });

  const build = (events: BuildEvent[], extra: Partial<Parameters<typeof buildImage>[1]> = {}) =>
    buildImage(buildDeps(env), { context: ctxDir, tags: ['example/app:1', 'example/app:latest'], buildArgs: { GREETING: 'howdy' }, onEvent: (e) => events.push(e), ...extra });

  async function runImage(layerDirs: readonly string[], args: string[], user = { uid: 33, gid: 33 }): Promise<string> {
    const rt = runtimeContext(env);
    const id = `bt${roots.tag}${Math.floor(Math.random() * 1e6)}`;
    try {
      await runContainer(rt, { id, rootfs: { lowerDirs: layerDirs }, process: { args, user, cwd: '/app' } });
      const exit = await waitContainer(rt, id);
      const lines: string[] = [];
      for await (const l of readLogs(rt, id)) lines.push(l.text);
      assert.is(exit.exitCode, 0, lines.join('\n'));
      return lines.join('\n');
    } finally {
      await deleteContainer(rt, id, { force: true });
    }
  }

  test('builds a two-stage Dockerfile: files, owners, config, history; the image runs', async () => {
    const events: BuildEvent[] = [];
    const r = await build(events);
    assert.ok(
      events.some((e) => e.type === 'pull'),
      'busybox pulled from the mirror',
    );
    assert.ok(r.steps.run >= 6, `steps run: ${JSON.stringify(r.steps)}`);
    assert.equal(r.image.repoTags.slice().sort(), ['docker.io/example/app:1', 'docker.io/example/app:latest'].sort());
    const c = r.image.config;
    assert.is(c.WorkingDir, '/app');
    assert.is(c.User, '33');
    assert.equal(c.Cmd, ['cat', '/app/built.txt']);
    assert.ok(c.Env?.includes('MODE=two words'));
    assert.equal(c.Labels, { 'org.example.name': 'fixture', 'org.example.mode': 'two words' });
    assert.equal(Object.keys(c.ExposedPorts ?? {}).sort(), ['8080/tcp', '9000/tcp', '9001/tcp']);
    assert.is(c.StopSignal, 'SIGINT');
    assert.equal(c.Healthcheck, { Test: ['CMD-SHELL', 'test -f /app/mode.txt'], Interval: 5e9, Retries: 2 });
    const fs = new LayeredFs(r.image.layerDirs);
    const read = async (p: string) => readFileSync((await fs.lstat(p))!.abs, 'utf8');
    assert.is(await read('/app/built.txt'), 'howdy from build\n');
    assert.is((await fs.lstat('/app/built.txt'))!.stat.mode & 0o777, 0o604);
    assert.is(await read('/app/hello.txt'), 'hello fixture\n');
    assert.is(await read('/app/mode.txt'), 'mode=two words\n');
    assert.is(await read('/opt/bundle/readme.txt'), 'from the archive\n');
    const run = (await fs.lstat('/usr/local/bin/run'))!.stat;
    assert.equal([run.uid, run.gid, run.mode & 0o777], [33, 33, 0o750]);
    assert.is(await fs.lstat('/ctx'), undefined, 'the builder stage is not in the final image');
    assert.is((await runImage(r.image.layerDirs, ['cat', '/app/built.txt'])).trim(), 'howdy from build');
    const containers = existsSync(join(roots.root, 'containers')) ? readdirSync(join(roots.root, 'containers')) : [];
    assert.equal(
      containers.filter((n) => n.startsWith('berth-build-')),
      [],
      'build containers removed',
    );
  });

  test('a rebuild with no change comes from the cache with the same image id; a change rebuilds from there', async () => {
    const first = await build([]);
    const events: BuildEvent[] = [];
    const again = await build(events);
    assert.ok(again.cached, JSON.stringify(events.filter((e) => e.type === 'step' && !e.cached)));
    assert.is(again.steps.run, 0);
    assert.is(again.image.id, first.image.id);
    assert.ok(events.filter((e) => e.type === 'step').every((e) => e.type === 'step' && e.cached));
    writeFileSync(join(ctxDir, 'app', 'hello.txt'), 'changed\n');
    const changed = await build([]);
    assert.is.not(changed.image.id, first.image.id);
    assert.ok(changed.steps.cached >= 2, `earlier steps reused: ${JSON.stringify(changed.steps)}`);
    const fs = new LayeredFs(changed.image.layerDirs);
    assert.is(readFileSync((await fs.lstat('/app/hello.txt'))!.abs, 'utf8'), 'changed\n');
    const target = await build([], { target: 'builder', tags: ['example/builder'] });
    assert.ok(await new LayeredFs(target.image.layerDirs).lstat('/ctx/app/hello.txt'), '--target builds the named stage');
  });

  test('heredocs (RUN script, COPY file, RUN with a heredoc), SHELL, relative WORKDIR, ENTRYPOINT resets an inherited CMD', async () => {
    const text = [
      'FROM busybox:1.36',
      'RUN <<EOF',
      'echo one > /one',
      'echo two >> /one',
      'EOF',
      'COPY <<EOF /etc/greeting',
      'hello heredoc',
      'EOF',
      'RUN cat <<EOT > /two',
      'x',
      'EOT',
      'SHELL ["/bin/sh", "-ec"]',
      'WORKDIR rel',
      'RUN pwd > /pwd',
      'ENTRYPOINT ["/bin/echo"]',
      'RUN mkdir -p /usr/lib && ln -s usr/lib /lib2',
      'COPY app/hello.txt /lib2/',
      'FROM busybox:1.36',
      'COPY --from=0 /lib2/hello.txt /one /copied/',
      'COPY --from=0 /lib2 /linkcopy',
    ].join('\n');
    const bad = await buildImage(buildDeps(env), { context: ctxDir, dockerfileInline: text, tags: ['example/heredoc'], target: 'stage0' }).catch((e: unknown) => e);
    assert.match(String(bad), /target stage "stage0" could not be found/);
    const two = await buildImage(buildDeps(env), { context: ctxDir, dockerfileInline: text, tags: ['example/heredoc2'] });
    const fs2 = new LayeredFs(two.image.layerDirs);
    assert.is(readFileSync((await fs2.lstat('/copied/hello.txt'))!.abs, 'utf8'), 'changed\n', 'COPY --from through a symlinked dir (hello.txt was changed above)');
    assert.is(readFileSync((await fs2.lstat('/copied/one'))!.abs, 'utf8'), 'one\ntwo\n');
    assert.ok((await fs2.lstat('/linkcopy'))?.stat.isSymbolicLink(), 'a symlink source is copied as a symlink');
    const r = await buildImage(buildDeps(env), { context: ctxDir, dockerfileInline: text.split('\nFROM busybox:1.36\n')[0]!, tags: ['example/heredoc'] });
    const fs = new LayeredFs(r.image.layerDirs);
    const read = async (p: string) => readFileSync((await fs.lstat(p))!.abs, 'utf8');
    assert.is(await read('/one'), 'one\ntwo\n');
    assert.is(await read('/etc/greeting'), 'hello heredoc\n');
    assert.is(await read('/two'), 'x\n');
    assert.is(await read('/pwd'), '/rel\n');
    assert.equal(r.image.config.Entrypoint, ['/bin/echo']);
    assert.is(r.image.config.Cmd, undefined, "busybox's CMD is not kept under a new ENTRYPOINT");
    assert.equal(r.image.config.Shell, ['/bin/sh', '-ec']);
    assert.is(await read('/usr/lib/hello.txt'), 'changed\n', 'COPY into a symlinked dir lands in its target');
    assert.ok((await fs.lstat('/lib2'))?.stat.isSymbolicLink(), 'the symlink stays a symlink');
  });

  test('a bad Dockerfile and a failing RUN give clear errors and leave nothing', async () => {
    const bad = await buildImage(buildDeps(env), { context: join(FIXTURES, 'bad'), tags: ['bad'] }).catch((e: unknown) => e);
    assert.instance(bad, SpecError);
    assert.is(String(bad), 'Dockerfile:3: unknown instruction: COPYY');
    const failing = await buildImage(buildDeps(env), { context: join(FIXTURES, 'failing'), tags: ['failing'] }).catch((e: unknown) => e);
    assert.instance(failing, SpecError);
    const text = String(failing);
    assert.match(text, /^Dockerfile:2: RUN: .*exited with code 3/);
    assert.match(text, /first line/);
    assert.match(text, /to stderr/);
    const containers = existsSync(join(roots.root, 'containers')) ? readdirSync(join(roots.root, 'containers')) : [];
    assert.equal(
      containers.filter((n) => n.startsWith('berth-build-')),
      [],
    );
    assert.equal(
      readdirSync(join(roots.root, 'images', 'tmp')).filter((n) => n.startsWith('build-')),
      [],
      'staging dirs removed',
    );
  });

  test('Ctrl-C during a RUN stops the build and removes its container', async () => {
    const ac = new AbortController();
    const events: BuildEvent[] = [];
    const p = buildImage(buildDeps(env), {
      context: ctxDir,
      dockerfileInline: 'FROM busybox:1.36\nRUN echo started && sleep 30\n',
      tags: ['example/aborted'],
      signal: ac.signal,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'output' && e.text.includes('started')) ac.abort();
      },
    }).catch((e: unknown) => e);
    const t0 = Date.now();
    const err = await p;
    assert.ok(err instanceof Error, 'the build failed');
    assert.ok(Date.now() - t0 < 20_000, 'did not wait for the sleep');
    const containers = existsSync(join(roots.root, 'containers')) ? readdirSync(join(roots.root, 'containers')) : [];
    assert.equal(
      containers.filter((n) => n.startsWith('berth-build-')),
      [],
    );
    assert.equal(findLeaks('berth-build-'), []);
  });

  test.run();
}
