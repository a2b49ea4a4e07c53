import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dependencyConditions } from '../../src/engine/verbs.js';
import { modeHosts } from '../../src/engine/container-spec.js';

test('depends-on label -> conditions start waits for', () => {
  const m = dependencyConditions('db:service_healthy:false,migrate:service_completed_successfully:false,cache:service_started:true');
  assert.equal([...m], [
    ['db', 'healthy'],
    ['migrate', 'completed'],
    ['cache', 'started'],
  ]);
  assert.equal([...dependencyConditions(undefined)], []);
});

test('/etc/hosts for network_mode host: the host file, extra_hosts, the hostname', () => {
  const host = modeHosts({ network_mode: 'host', extra_hosts: { extra: ['10.0.0.9'] } }, 'web', () => '127.0.0.1\tlocalhost\n192.168.1.5\tbox');
  assert.is(host, '127.0.0.1\tlocalhost\n192.168.1.5\tbox\n10.0.0.9\textra\n127.0.1.1\tweb\n');
  assert.is(modeHosts({ network_mode: 'host' }, 'box', () => '192.168.1.5\tbox.lan box\n'), '192.168.1.5\tbox.lan box\n', 'the host file names it already');
});

test('/etc/hosts for network_mode none: localhost lines and the hostname', () => {
  const none = modeHosts({ network_mode: 'none' }, 'iso', () => 'unused')!;
  assert.ok(none.startsWith('127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n'));
  assert.ok(none.endsWith('127.0.0.1\tiso\n'));
  assert.is(modeHosts({}, 'web', () => ''), undefined, 'bridged: written at the sync point');
  assert.is(modeHosts({ network_mode: 'service:db' }, 'web', () => ''), undefined);
});

test.run();
