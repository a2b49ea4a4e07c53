import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dependenciesOf, planStart } from '../../src/engine/start.js';
import { modeHosts } from '../../src/engine/container-spec.js';
import { running } from './fixture.js';

test('depends-on label -> dependencies start waits for (required from the 4th field, default true)', () => {
  const m = dependenciesOf('db:service_healthy:false:true,migrate:service_completed_successfully:false:false,cache:service_started:true');
  assert.equal(m, [
    { service: 'db', condition: 'healthy', required: true },
    { service: 'migrate', condition: 'completed', required: false },
    { service: 'cache', condition: 'started', required: true },
  ]);
  assert.equal(dependenciesOf(undefined), []);
});

const stopped = (name: string, service: string) => running(name, service, 1, 'h', { status: 'exited' });

test('planStart: the same wait operations as up (optional for required: false); a missing optional dependency warns', () => {
  const app = stopped('p-app-1', 'app');
  const db = stopped('p-db-1', 'db');
  const plan = planStart({
    project: 'p',
    chosen: [app, db],
    all: [app, db],
    labels: new Map([['p-app-1', 'db:service_healthy:false:false,cache:service_healthy:false:false,log:service_started:false:true']]),
  });
  assert.equal(
    plan.operations.map((o) => [o.id, [...o.deps], o.kind === 'wait' && o.optional === true]),
    [
      ['start:p-app-1', ['wait:db:healthy'], false],
      ['start:p-db-1', [], false],
      ['wait:db:healthy', ['start:p-db-1'], true],
    ],
  );
  assert.equal(plan.warnings, ['service app is missing dependency cache']);
});

test('planStart: a missing required dependency is an error naming both services', () => {
  const app = stopped('p-app-1', 'app');
  assert.throws(
    () => planStart({ project: 'p', chosen: [app], all: [app], labels: new Map([['p-app-1', 'db:service_healthy:false:true']]) }),
    (e: Error & { code?: string }) => e.code === 'engine/missing-dependency' && e.message === 'service app is missing dependency db',
  );
  const lenient = planStart({ project: 'p', chosen: [app], all: [app], labels: new Map([['p-app-1', 'db:service_healthy:false:true']]), lenient: true });
  assert.equal(lenient.warnings, ['service app is missing dependency db'], 'restart only warns');
});

test('/etc/hosts for network_mode host: the host file, extra_hosts, the hostname', () => {
  const host = modeHosts({ network_mode: 'host', extra_hosts: { extra: ['10.0.0.9'] } }, 'web', () => '127.0.0.1\tlocalhost\n192.168.1.5\tbox');
  assert.is(host, '127.0.0.1\tlocalhost\n192.168.1.5\tbox\n10.0.0.9\textra\n127.0.1.1\tweb\n');
  assert.is(
    modeHosts({ network_mode: 'host' }, 'box', () => '192.168.1.5\tbox.lan box\n'),
    '192.168.1.5\tbox.lan box\n',
    'the host file names it already',
  );
});

test('/etc/hosts for network_mode none: localhost lines and the hostname', () => {
  const none = modeHosts({ network_mode: 'none' }, 'iso', () => 'unused')!;
  assert.ok(none.startsWith('127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n'));
  assert.ok(none.endsWith('127.0.0.1\tiso\n'));
  assert.is(
    modeHosts({}, 'web', () => ''),
    undefined,
    'bridged: written at the sync point',
  );
  assert.is(
    modeHosts({ network_mode: 'service:db' }, 'web', () => ''),
    undefined,
  );
});

test.run();
