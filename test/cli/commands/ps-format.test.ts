import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderTemplate } from '../../../src/cli/commands/ps.js';
import type { ContainerSummary } from '../../../src/api/index.js';
import { isBerthError } from '../../../src/errors.js';

const row = (name: string, service: string, extra: Partial<ContainerSummary> = {}): ContainerSummary => ({
  name,
  id: `${name}-0123abcd`,
  service,
  number: 1,
  project: 'p',
  image: 'busybox:1.36',
  command: 'sleep 3600',
  state: 'running',
  createdAt: Date.now() - 5000,
  startedAt: Date.now() - 4000,
  ports: [],
  oneoff: false,
  ...extra,
});

const rows = [row('p-web-1', 'web', { ports: [{ hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' }] }), row('p-db-1', 'db', { state: 'exited', exitCode: 3 })];

test('plain template: one line per container', () => {
  assert.is(renderTemplate('{{.Name}} {{ .Service }} {{.State}}', rows), 'p-web-1 web running\np-db-1 db exited\n');
  assert.is(renderTemplate('{{.Name}}\\t{{.Ports}}', rows), 'p-web-1\t0.0.0.0:8080->80/tcp\np-db-1\t\n');
  assert.is(renderTemplate('{{.Status}}', [rows[1]!]), 'Exited (3)\n');
});

test('table prefix: a header row and aligned columns', () => {
  assert.is(renderTemplate('table {{.Name}}\\t{{.Service}}\\t{{.Status}}', rows), 'NAME      SERVICE   STATUS\np-web-1   web       Up 4 seconds\np-db-1    db        Exited (3)\n');
});

test('unknown fields and other template syntax are usage errors', () => {
  for (const bad of ['{{.Nope}}', '{{json .}}', 'table {{.Name}}\\t{{.Bogus}}']) {
    try {
      renderTemplate(bad, []);
      assert.unreachable(bad);
    } catch (err) {
      assert.ok(isBerthError(err) && err.code === 'cli/usage', String(err));
    }
  }
});

test.run();
