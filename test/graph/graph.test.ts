import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildGraph, GraphCycleError, serviceGraph, topologicalOrder } from '../../src/graph/index.js';

test('order puts dependencies first and is deterministic', () => {
  const g = buildGraph(
    ['web', 'api', 'db', 'cache'],
    [
      ['web', 'api'],
      ['api', 'db'],
      ['web', 'cache'],
    ],
  );
  const order = topologicalOrder(g);
  assert.ok(order.indexOf('db') < order.indexOf('api'));
  assert.ok(order.indexOf('api') < order.indexOf('web'));
  assert.ok(order.indexOf('cache') < order.indexOf('web'));
  assert.equal(g.dependentsOf('api'), ['web']);
  assert.equal(g.dependenciesOf('web'), ['api', 'cache']);
});

test('a cycle is named in full, starting at its smallest node', () => {
  try {
    buildGraph(
      ['c', 'b', 'a', 'x'],
      [
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'a'],
        ['x', 'a'],
      ],
    );
    assert.unreachable();
  } catch (err) {
    assert.instance(err, GraphCycleError);
    assert.is((err as GraphCycleError).message, 'dependency cycle detected: a -> b -> c -> a');
  }
  assert.throws(() => serviceGraph({ s: { depends_on: { s: {} } } }), /s -> s/);
});

test('serviceGraph ignores dependencies outside the set', () => {
  const g = serviceGraph({ web: { depends_on: { db: {}, gone: {} } }, db: {} });
  assert.equal(g.dependenciesOf('web'), ['db']);
});

test.run();
