import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { harness, type Harness } from './fakes.js';
import { DNS_READY_MS } from '../../src/engine/dns-ready.js';
import { FakeClock } from '../helpers/clock.js';
import { poll } from '../helpers/poll.js';

// `up` starts a container once its project network's DNS answers: on a fake clock, "not
// before" is proven over fake seconds of looking, never by a real wait
let h: Harness;
let clock: FakeClock;
let serving: Set<string>;
let asked: number;
test.before.each(() => {
  clock = new FakeClock();
  h = harness('proj', clock);
  serving = new Set();
  asked = 0;
  (h.network as { dnsServing?: (n: string) => Promise<boolean> }).dnsServing = async (n) => {
    asked++;
    return serving.has(n);
  };
});
test.after.each(async () => {
  await h.close();
});

const STACK = `
services:
  web:
    image: busybox:1.36
    command: ["sleep", "3600"]
`;
const starts = (): number => h.events.filter((e) => e.kind === 'container' && e.action === 'starting').length;
const warnings = (): string[] => h.events.flatMap((e) => (e.kind === 'warning' ? [e.message] : []));

test('a container starts only once its network DNS answers', async () => {
  h.writeCompose(STACK);
  const up = h.engine.up({ source: h.source(), detach: true });
  await poll('the engine waiting for the DNS', () => asked > 0 && clock.sleepers > 0);
  await clock.advance(3_000);
  assert.ok(asked > 100, `asked again and again (${asked})`);
  assert.is(starts(), 0, 'not started while the DNS does not answer');
  serving.add('proj_default');
  await clock.advance(10);
  assert.is((await up).exitCode, 0);
  assert.is(starts(), 1);
  assert.equal(warnings(), []);
  await h.engine.down({ source: h.source() });
});

test('a DNS that never answers is waited for up to the bound, then the start goes on with a warning', async () => {
  h.writeCompose(STACK);
  const up = h.engine.up({ source: h.source(), detach: true });
  await poll('the engine waiting for the DNS', () => asked > 0 && clock.sleepers > 0);
  await clock.advance(DNS_READY_MS - 20);
  assert.is(starts(), 0);
  await clock.advance(40);
  assert.is((await up).exitCode, 0);
  assert.is(starts(), 1);
  assert.equal(warnings().length, 1);
  assert.match(warnings()[0]!, /the DNS of network proj_default does not answer after 5s; starting it anyway/);
  await h.engine.down({ source: h.source() });
});

test.run();
