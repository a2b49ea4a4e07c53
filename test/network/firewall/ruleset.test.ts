// The nft table and the FORWARD-chain plan, as text (pure).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findOwnRuleHandles, forwardPolicyDrops, renderTable } from '../../../src/network/firewall/ruleset.js';
import { planFirewall, tableName } from '../../../src/network/firewall/nft.js';
import type { NetworkRecord, PublishedPort } from '../../../src/network/types.js';

const net = (name: string, bridge: string, subnet: string, internal = false): NetworkRecord => ({
  name,
  project: 'p',
  bridge,
  subnet,
  gateway: '',
  ipRange: subnet,
  internal,
  mtu: 1500,
  labels: {},
  created: '',
});
const port: PublishedPort = { hostIp: '0.0.0.0', hostPort: 8080, containerIp: '172.18.0.2', containerPort: 80, protocol: 'tcp', service: 'web', containerId: 'c1', bridge: 'bth1' };
const state = {
  table: 'berth',
  networks: [net('p_front', 'bth1', '172.18.0.0/16'), net('p_int', 'bth2', '172.19.0.0/16', true)],
  ports: [port, { ...port, hostIp: '127.0.0.1', hostPort: 53, protocol: 'udp' as const, containerPort: 53 }],
};

test('table: DNAT from outside and from the host, masquerade, isolation, internal drops', () => {
  const t = renderTable(state);
  assert.match(t, 'tcp dport 8080 dnat to 172.18.0.2:80');
  assert.match(t, 'ip daddr 127.0.0.1 udp dport 53 dnat to 172.18.0.2:53');
  assert.match(t, 'type nat hook output priority -100');
  assert.match(t, 'ip saddr 172.18.0.0/16 oifname != "bth1" masquerade');
  assert.not.match(t, 'ip saddr 172.19.0.0/16 oifname != "bth2" masquerade');
  assert.match(t, 'oifname "bth1" ip saddr 127.0.0.0/8 masquerade');
  assert.match(t, 'iifname "bth1" oifname @bridges oifname != "bth1" drop');
  assert.match(t, 'iifname "bth2" oifname != "bth2" drop');
});

test("table: routed in from outside only when published or a reply; 127/8 only from lo or DNAT'ed", () => {
  const t = renderTable(state);
  // flags are tested with a mask: `ct status != dnat` would compare the whole word
  assert.match(t, 'oifname @bridges iifname != @bridges ct state & (established | related) == 0 ct status & dnat == 0 drop');
  assert.match(t, /type filter hook input priority 0; policy accept;\n {4}iifname != "lo" ip daddr 127\.0\.0\.0\/8 ct status & dnat == 0 drop/);
});

const listing = `table ip filter {
	chain FORWARD { # handle 2
		type filter hook forward priority filter; policy drop;
		oifname "bth1" accept comment "berth:berth" # handle 11
		iifname "bth1" accept comment "berth:berth" # handle 12
		iifname "bthz" accept comment "berth:berth_other" # handle 13
		counter packets 0 bytes 0 jump DOCKER-USER # handle 5
	}
}`;

test('own FORWARD rules are found by comment; policy drop detected', () => {
  assert.equal(findOwnRuleHandles(listing, 'berth'), [11, 12]);
  assert.ok(forwardPolicyDrops(listing));
});

test('plan: replace the table and our FORWARD accepts in one transaction; empty state removes all', () => {
  const plan = planFirewall(state, { exists: true, policyDrop: true, listing });
  assert.match(plan, /^table ip berth\ndelete table ip berth\ndelete rule ip filter FORWARD handle 11\ndelete rule ip filter FORWARD handle 12\ntable ip berth \{/);
  assert.match(plan, 'insert rule ip filter FORWARD iifname "bth1" accept comment "berth:berth"');
  const empty = planFirewall({ table: 'berth', networks: [], ports: [] }, { exists: true, policyDrop: true, listing });
  assert.is(empty, 'table ip berth\ndelete table ip berth\ndelete rule ip filter FORWARD handle 11\ndelete rule ip filter FORWARD handle 12\n');
  const noFilter = planFirewall(state, { exists: false, policyDrop: false, listing: '' });
  assert.not.match(noFilter, 'ip filter');
});

test('table name depends on the root', () => {
  assert.is(tableName('/var/lib/berth'), 'berth');
  assert.match(tableName('/tmp/x'), /^berth_[0-9a-f]{8}$/);
});

test.run();
