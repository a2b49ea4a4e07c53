import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { enforceUnicity, mergeDocuments } from '../../src/spec/merge.js';
import { parsePortSpec, splitVolumeSpec } from '../../src/spec/short-syntax.js';

const none = { resets: new Set<string>(), overrides: new Set<string>() };
const merge = (a: Record<string, unknown>, b: Record<string, unknown>, tags = none) => enforceUnicity(mergeDocuments(a, b, tags));

test('maps merge, scalars replace, sequences append', () => {
  const out = merge({ services: { s: { image: 'a', dns: ['1.1.1.1'], labels: { a: '1' } } } }, { services: { s: { image: 'b', dns: '8.8.8.8', labels: ['b=2'] } } });
  assert.equal(out, { services: { s: { image: 'b', dns: ['1.1.1.1', '8.8.8.8'], labels: ['a=1', 'b=2'] } } });
});

test('command/entrypoint/healthcheck.test replace; ports and volumes merge by key', () => {
  const out = merge(
    { services: { s: { command: ['a', 'b'], healthcheck: { test: ['CMD', 'x'], retries: 3 }, ports: ['80:80', '90:90'], volumes: ['./a:/data', 'v:/v'] } } },
    { services: { s: { command: ['c'], healthcheck: { test: ['CMD', 'y'] }, ports: ['80:80', '70:70'], volumes: ['./b:/data'] } } },
  ) as { services: { s: Record<string, unknown> } };
  assert.equal(out.services.s.command, ['c']);
  assert.equal(out.services.s.healthcheck, { test: ['CMD', 'y'], retries: 3 });
  assert.equal(out.services.s.ports, ['80:80', '90:90', '70:70']);
  assert.equal(out.services.s.volumes, ['./b:/data', 'v:/v']);
});

test('environment: list and map syntaxes merge by key, the later file wins', () => {
  const out = merge({ services: { s: { environment: ['A=1', 'B=2'] } } }, { services: { s: { environment: { B: 'x', C: null } } } }) as {
    services: { s: { environment: string[] } };
  };
  assert.equal(out.services.s.environment, ['A=1', 'B=x', 'C']);
});

test('!reset removes, !override replaces', () => {
  const tags = { resets: new Set(['services.s.ports']), overrides: new Set(['services.s.labels']) };
  const out = merge({ services: { s: { ports: ['80:80'], labels: { a: '1' } } } }, { services: { s: { ports: [], labels: { b: '2' } } } }, tags);
  assert.equal(out, { services: { s: { labels: { b: '2' } } } });
});

test('short port syntax', () => {
  assert.equal(parsePortSpec('127.0.0.1:8080:80/udp'), [{ mode: 'ingress', host_ip: '127.0.0.1', target: 80, published: '8080', protocol: 'udp' }]);
  assert.equal(parsePortSpec('3000'), [{ mode: 'ingress', target: 3000, protocol: 'tcp' }]);
  assert.equal(
    parsePortSpec('9090-9091:8080').map((p) => p.published),
    ['9090-9091'],
  );
  assert.equal(
    parsePortSpec('8000-8001:80-81').map((p) => `${p.published}:${p.target}`),
    ['8000:80', '8001:81'],
  );
  assert.throws(() => parsePortSpec('8000-8002:80-81'), /invalid ranges/);
  assert.throws(() => parsePortSpec('80/xyz'), /invalid proto/);
});

test('short volume syntax', () => {
  assert.equal(splitVolumeSpec('./src:/app:ro'), { type: 'bind', source: './src', target: '/app', read_only: true, bind: { create_host_path: true } });
  assert.equal(splitVolumeSpec('data:/data:nocopy'), { type: 'volume', source: 'data', target: '/data', volume: { nocopy: true } });
  assert.equal(splitVolumeSpec('/anon'), { type: 'volume', target: '/anon', volume: {} });
  assert.throws(() => splitVolumeSpec('a:b:c:d'), /too many colons/);
});

test.run();
