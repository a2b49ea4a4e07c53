// The plan is the whole truth: what `up --dry-run` / `down --dry-run` print is exactly what
// up and down then execute (every operation once, none beside it, each after its edges),
// on the fake seams. test/e2e/dry-run checks the same on the real kernel.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { harness } from './fakes.js';
import { traceProblems } from '../helpers/plan-trace.js';

const compose = `services:
  db:
    image: busybox
    command: sleep 1000
    healthcheck: { test: ['CMD', 'true'], interval: 1s }
    volumes: [data:/data]
  api:
    image: busybox
    command: sleep 1000
    depends_on: { db: { condition: service_healthy } }
    networks: [default, back]
  front:
    image: busybox
    command: sleep 1000
    depends_on: [api]
volumes:
  data: {}
networks:
  back: {}
`;

test('up and down execute exactly the plan --dry-run prints, in an order its edges allow', async () => {
  const h = harness('pt');
  try {
    h.writeCompose(compose);
    const upPlan = await h.engine.planUp({ source: h.source(), detach: true });
    assert.match(upPlan, /^bridge network pt_back <- create network pt_back$/m);
    assert.match(upPlan, /^start pt-api-1 <- attach pt-api-1, firewall network pt_back, firewall network pt_default, wait db healthy$/m);
    assert.is(h.runtime.containers.size, 0, 'dry run: nothing created');
    assert.is(h.network.networks.size, 0, 'dry run: no network');
    await h.engine.up({ source: h.source(), detach: true });
    assert.equal(traceProblems(upPlan, h.trace), []);

    // a second up keeps everything: its plan (keeps and waits) is what runs
    h.trace.length = 0;
    const again = await h.engine.planUp({ source: h.source(), detach: true });
    assert.match(again, /^keep pt-db-1 \(running\)$/m);
    await h.engine.up({ source: h.source(), detach: true });
    assert.equal(traceProblems(again, h.trace), []);

    h.trace.length = 0;
    const downPlan = await h.engine.planDown({ source: h.source(), volumes: true });
    assert.match(downPlan, /^remove pt-db-1 <- remove network pt_back, remove network pt_default, stop pt-db-1$/m);
    assert.is(h.runtime.containers.size, 3, 'dry run: nothing removed');
    await h.engine.down({ source: h.source(), volumes: true });
    assert.equal(traceProblems(downPlan, h.trace), []);
    assert.is(h.runtime.containers.size, 0);
  } finally {
    await h.close();
  }
});

test('the check itself: a missing, an extra and an early operation are each caught', () => {
  const plan = 'a\nb <- a';
  assert.equal(traceProblems(plan, ['start a', 'done a', 'start b', 'done b']), []);
  assert.equal(traceProblems(plan, ['start a', 'done a']), ['planned, not executed: b']);
  assert.equal(traceProblems(plan, ['start a', 'done a', 'start b', 'done b', 'start c', 'done c']), ['executed, not planned: c']);
  assert.equal(traceProblems(plan, ['start a', 'start b', 'done a', 'done b']), ['b started before a was done']);
});

test.run();
