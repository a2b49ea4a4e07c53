import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildGraph, DependencyFailedError, walkGraph, WalkError } from '../../src/graph/index.js';

// web -> api -> db, web -> cache; slow db, fast cache
const graph = buildGraph(
  ['web', 'api', 'db', 'cache', 'solo'],
  [
    ['web', 'api'],
    ['api', 'db'],
    ['web', 'cache'],
  ],
);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('up: a node starts as soon as its own dependencies are done (no level barrier)', async () => {
  const log: string[] = [];
  const delays: Record<string, number> = { db: 40, cache: 1, api: 1, web: 1, solo: 1 };
  await walkGraph(graph, {
    direction: 'up',
    visit: async (n) => {
      log.push(`start ${n}`);
      await sleep(delays[n]!);
      log.push(`end ${n}`);
    },
  });
  assert.ok(log.indexOf('end db') < log.indexOf('start api'));
  assert.ok(log.indexOf('end api') < log.indexOf('start web'));
  assert.ok(log.indexOf('end cache') < log.indexOf('end db'), 'cache runs beside db');
});

test('down: dependents first', async () => {
  const order: string[] = [];
  await walkGraph(graph, { direction: 'down', visit: async (n) => void order.push(n) });
  assert.ok(order.indexOf('web') < order.indexOf('api'));
  assert.ok(order.indexOf('api') < order.indexOf('db'));
  assert.ok(order.indexOf('web') < order.indexOf('cache'));
});

test('edge conditions gate the dependent only', async () => {
  const log: string[] = [];
  await walkGraph(graph, {
    direction: 'up',
    visit: async (n) => void log.push(n),
    waitFor: async (node, pre) => {
      if (pre === 'db') {
        await sleep(20);
        log.push(`healthy db for ${node}`);
      }
    },
  });
  assert.ok(log.indexOf('healthy db for api') < log.indexOf('api'));
  assert.ok(log.indexOf('solo') < log.indexOf('healthy db for api'));
});

test('a failure fails its dependents with the chain named; others complete', async () => {
  try {
    await walkGraph(graph, {
      direction: 'up',
      visit: async (n) => {
        if (n === 'db') throw new Error('port 5432 in use');
      },
    });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, WalkError);
    const report = (err as WalkError).report;
    assert.equal(
      report.failed.map((f) => f.chain.join(' -> ')),
      ['api -> db', 'db', 'web -> api -> db'],
    );
    assert.ok(report.completed.includes('cache') && report.completed.includes('solo'));
    const web = report.failed.find((f) => f.node === 'web')!;
    assert.instance(web.error, DependencyFailedError);
    assert.match((web.error as Error).message, /web -> api -> db failed: port 5432 in use/);
  }
});

test('abort stops new work and rejects with the reason', async () => {
  const ac = new AbortController();
  const started: string[] = [];
  const p = walkGraph(graph, {
    direction: 'up',
    signal: ac.signal,
    visit: async (n, signal) => {
      started.push(n);
      if (n === 'db') {
        ac.abort(new Error('interrupted'));
        signal.throwIfAborted();
      }
    },
  });
  await p.then(
    () => assert.unreachable(),
    (err: unknown) => assert.is((err as Error).message, 'interrupted'),
  );
  assert.not.ok(started.includes('web'));
});

test('concurrency limits visits in flight', async () => {
  let active = 0;
  let peak = 0;
  await walkGraph(buildGraph(['a', 'b', 'c', 'd'], []), {
    direction: 'up',
    concurrency: 2,
    visit: async () => {
      peak = Math.max(peak, ++active);
      await sleep(5);
      active--;
    },
  });
  assert.is(peak, 2);
});

test.run();
