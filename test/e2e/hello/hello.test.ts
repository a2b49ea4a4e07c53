// examples/hello as a new user runs it: its image is built by berth (FROM scratch + the static
// program `npm ci` compiled), no registry involved.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { skipUnlessKernel } from '../../helpers/kernel.js';
import { makeStack, poll, httpGet, stopRegistry, REPO, type Stack } from '../harness.js';

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '0.0.0.0', () => srv.close(() => resolve(true)));
  });
}

if (!skipUnlessKernel('e2e hello', () => undefined)) {
  let s: Stack | undefined;
  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  test('examples/hello: the page answers on :8080, the checker reaches web by name', async () => {
    if (!(await portFree(8080))) {
      console.log('# skip e2e hello: host port 8080 is in use');
      return;
    }
    s = await makeStack('hello', join(REPO, 'examples', 'hello'));
    const up = await s.berth(['-p', s.project, 'up', '-d']);
    assert.is(up.code, 0, up.err);
    assert.match(up.err, /Container \S+-web-1\s+Healthy/);
    assert.is((await poll('page', () => httpGet('http://127.0.0.1:8080/'))).trim(), '<h1>Hello from berth</h1>');
    const logs = await poll('checker fetched the page', async () => {
      const r = await s!.berth(['-p', s!.project, 'logs', 'checker']);
      return r.out.includes('web answered') ? r.out : undefined;
    });
    assert.match(logs, /checker-1\s+\| checker: web answered/);
    assert.is((await s.berth(['-p', s.project, 'down'])).code, 0);
  });

  test.run();
}
