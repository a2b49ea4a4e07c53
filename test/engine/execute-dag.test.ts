import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { executeDag } from '../../src/engine/execute-dag.js';
import { BerthError } from '../../src/errors.js';
import type { Operation } from '../../src/engine/plan-types.js';

const op = (id: string, deps: string[] = [], extra: Record<string, unknown> = {}): Operation => ({ id, kind: 'start', target: id, service: id, number: 1, deps, ...extra }) as Operation;

function deferred() {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
}

test('an operation starts as soon as its own deps are done (no global barrier)', async () => {
  // a (slow) <- c ; b (fast) <- d: d must start while a is still running
  const gates = { a: deferred() };
  const log: string[] = [];
  const result = executeDag([op('a'), op('b'), op('c', ['a']), op('d', ['b'])], async (o) => {
    log.push(`start ${o.id}`);
    if (o.id === 'a') await gates.a.promise;
    if (o.id === 'd') gates.a.resolve();
    log.push(`end ${o.id}`);
  });
  const r = await result;
  assert.is(r.failed.size, 0);
  assert.ok(log.indexOf('start d') < log.indexOf('end a'), log.join(','));
  assert.ok(log.indexOf('start c') > log.indexOf('end a'));
});

test('failure propagates to dependents with the chain named; others finish', async () => {
  const ops = [
    op('wait:db', [], { kind: 'wait', service: 'db', target: 'db', condition: 'healthy' }),
    op('start:api', ['wait:db'], { service: 'api', target: 'app-api-1' }),
    op('ready:api', ['start:api'], { kind: 'wait', service: 'api', target: 'api' }),
    op('start:front', ['ready:api'], { service: 'front', target: 'app-front-1' }),
    op('start:other', [], { service: 'other' }),
  ];
  const r = await executeDag(ops, async (o) => {
    if (o.id === 'wait:db') throw new BerthError('engine/unhealthy', 'container app-db-1 is unhealthy');
  });
  assert.ok(r.done.has('start:other'));
  const front = r.failed.get('start:front') as Error;
  assert.is(front.message, 'service front: dependency api -> db failed: container app-db-1 is unhealthy');
});

test('optional ops that fail only warn', async () => {
  const warnings: string[] = [];
  const r = await executeDag(
    [op('w', [], { kind: 'wait', optional: true, target: 'cache', condition: 'started' }), op('s', ['w'])],
    async (o) => {
      if (o.id === 'w') throw new Error('no');
    },
    { onWarning: (m) => warnings.push(m) },
  );
  assert.ok(r.done.has('s'));
  assert.is(warnings.length, 1);
});

test('concurrency limit holds', async () => {
  let now = 0;
  let peak = 0;
  await executeDag(
    [op('a'), op('b'), op('c'), op('d')],
    async () => {
      now++;
      peak = Math.max(peak, now);
      await new Promise((r) => setTimeout(r, 5));
      now--;
    },
    { concurrency: 2 },
  );
  assert.is(peak, 2);
});

test('abort: nothing new starts', async () => {
  const ac = new AbortController();
  const ran: string[] = [];
  const r = await executeDag(
    [op('a'), op('b', ['a'])],
    async (o) => {
      ran.push(o.id);
      ac.abort(new Error('stop'));
    },
    { signal: ac.signal },
  );
  assert.equal(ran, ['a']);
  assert.ok(r.failed.has('b'));
});

test.run();
