// The CLI is thin over src/api: a command builds its options and calls the backend; what the
// backend reports comes out through the renderer --progress picks, for every command (here
// on a fake backend: no kernel, no registry).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { capture } from '../helpers/capture.js';
import { main } from '../../src/cli/main.js';
import type { Backend, EngineEvent, EventSink } from '../../src/api/index.js';

const pulled = (image: string): EngineEvent => ({ kind: 'image', action: 'pulled', image, time: 1 });

/** A backend whose verbs record what they were asked and report one event each. */
function fakeBackend(calls: string[]): Backend {
  const report = (what: string, onEvent: EventSink | undefined, image = 'busybox:1.36'): void => {
    calls.push(what);
    onEvent?.(pulled(image));
  };
  return {
    engine: async () =>
      ({
        pull: async (o: { services?: readonly string[]; policy?: string; onEvent?: EventSink }) => report(`engine.pull ${o.services?.join(',')} ${o.policy}`, o.onEvent),
        push: async (o: { onEvent?: EventSink }) => report('engine.push', o.onEvent),
        build: async (o: { noCache?: boolean; onEvent?: EventSink }) => report(`engine.build noCache=${o.noCache}`, o.onEvent),
      }) as never,
    images: async () =>
      ({
        pull: async (ref: string, o: { onEvent?: EventSink }) => {
          report(`images.pull ${ref}`, o.onEvent, ref);
          return { digest: 'sha256:1', status: 'pulled', familiar: ref, canonical: `docker.io/library/${ref}` };
        },
      }) as never,
    containers: async () =>
      ({
        list: async () => (calls.push('containers.list'), [{ id: 'abc', name: 'abc', status: 'running', exitCode: undefined, oomKilled: false, createdAt: '2026-01-01T00:00:00Z', args: ['sh'] }]),
      }) as never,
    networks: async () => ({}) as never,
    watch: async () => undefined,
    deployer: async () => ({}) as never,
  };
}

async function run(argv: string[]): Promise<{ code: number; out: string; err: string; calls: string[] }> {
  const out = capture();
  const err = capture();
  const calls: string[] = [];
  const code = await main(argv, { stdout: out.stream, stderr: err.stream }, () => fakeBackend(calls));
  return { code, out: out.text(), err: err.text(), calls };
}

test('berth pull: flags become PullOptions; the events are drawn by the renderer --progress picks', async () => {
  const json = await run(['--progress', 'json', 'pull', '--policy', 'missing', 'web']);
  assert.is(json.code, 0, json.err);
  assert.equal(json.calls, ['engine.pull web missing']);
  assert.equal(JSON.parse(json.out), { type: 'event', kind: 'image', action: 'pulled', image: 'busybox:1.36', time: 1 });
  const plain = await run(['pull', '--progress', 'plain']);
  assert.is(plain.err, ' Image busybox:1.36  Pulled\n');
  const quiet = await run(['pull', '-q', '--progress', 'plain']);
  assert.is(quiet.err + quiet.out, '');
});

test('push, build and image pull report through the renderer too', async () => {
  for (const argv of [['push'], ['build', '--no-cache'], ['image', 'pull', 'alpine:3']]) {
    const r = await run(['--progress', 'json', ...argv]);
    assert.is(r.code, 0, r.err);
    assert.match(r.out.split('\n')[0]!, /^\{"type":"event","kind":"image","action":"pulled"/, argv.join(' '));
  }
  const build = await run(['--progress', 'json', 'build', '--no-cache']);
  assert.equal(build.calls, ['engine.build noCache=true']);
});

test('a command prints its data through the backend, not the runtime', async () => {
  const r = await run(['container', 'ls', '-q']);
  assert.is(r.out, 'abc\n');
  assert.equal(r.calls, ['containers.list']);
});

test.run();
