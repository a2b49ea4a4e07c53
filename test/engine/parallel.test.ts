// `--parallel N` / COMPOSE_PARALLEL_LIMIT reach the plan walk: at most N container
// operations run at once (the network phases run beside the walk, as before).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { harness } from './fakes.js';

const compose = `services:
${['a', 'b', 'c', 'd'].map((n) => `  ${n}:\n    image: busybox\n    command: sleep 1000\n`).join('')}`;

function maxInFlight(trace: readonly string[]): number {
  let now = 0;
  let max = 0;
  for (const line of trace) {
    if (/network/.test(line)) continue;
    if (line.startsWith('start ')) max = Math.max(max, ++now);
    else now--;
  }
  return max;
}

for (const [parallel, expect] of [
  [undefined, 'more than one'],
  [1, 'one'],
] as const) {
  test(`up ${parallel === undefined ? 'without a limit' : `with parallel ${parallel}`}: ${expect} operation at a time`, async () => {
    const h = harness(`par${parallel ?? 'x'}`);
    try {
      h.writeCompose(compose);
      await h.engine.up({ source: { ...h.source(), ...(parallel !== undefined ? { parallel } : {}) }, detach: true });
      const max = maxInFlight(h.trace);
      if (parallel === undefined) assert.ok(max > 1, `unlimited: ${max} at once`);
      else assert.is(max, 1, h.trace.join('\n'));
      h.trace.length = 0;
      await h.engine.down({ source: { ...h.source(), ...(parallel !== undefined ? { parallel } : {}) } });
      if (parallel !== undefined) assert.is(maxInFlight(h.trace), 1, h.trace.join('\n'));
    } finally {
      await h.close();
    }
  });
}

test.run();
