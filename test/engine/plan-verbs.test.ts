// `--dry-run` of start, stop, restart, kill, pause, unpause, rm: the plan as text, from a
// snapshot, on the fake seams; nothing changes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { harness } from './fakes.js';

test('each verb names what it would do to which container, and does nothing', async () => {
  const h = harness('pv');
  try {
    h.writeCompose('services:\n  db:\n    image: busybox\n    command: sleep 1000\n  web:\n    image: busybox\n    command: sleep 1000\n    depends_on: [db]\n');
    await h.engine.up({ source: h.source(), detach: true });
    const plan = (verb: Parameters<typeof h.engine.planVerb>[0]['verb'], extra: Record<string, unknown> = {}) => h.engine.planVerb({ source: h.source(), verb, ...extra });
    const stop = await plan('stop');
    assert.match(stop, /^stop pv-db-1 <- stop pv-web-1$/m);
    assert.match(stop, /^stop pv-web-1$/m);
    assert.match(await plan('start'), /^start pv-web-1 \(running\) <- start pv-db-1 \(running\)$/m);
    assert.is(await plan('kill', { killSignal: 'SIGTERM', services: ['web'] }), 'kill pv-web-1 (SIGTERM)');
    assert.is(await plan('pause'), 'pause pv-db-1\npause pv-web-1');
    assert.is(await plan('unpause'), '(nothing to do)');
    assert.is(await plan('rm'), '(nothing to do)', 'rm removes stopped containers only');
    assert.is(await plan('rm', { stop: true, services: ['web'] }), 'stop pv-web-1\nremove pv-web-1');
    const restart = await plan('restart', { services: ['db'] });
    assert.match(restart, /^stop pv-db-1$/m);
    assert.match(restart, /^start pv-db-1 \(running\)$/m);
    const states = [...h.runtime.containers.values()].map((c) => c.status);
    assert.equal(states, ['running', 'running'], 'nothing changed');
  } finally {
    await h.close();
  }
});

test.run();
