// Subnet choice and leases (pure + a temp dir; no root).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCidr, overlaps, formatCidr } from '../../../src/network/ipam/cidr.js';
import { chooseSubnet } from '../../../src/network/ipam/subnets.js';
import { allocateAddress, listLeases, releaseAddresses } from '../../../src/network/ipam/leases.js';
import type { NetworkRecord } from '../../../src/network/types.js';

const code = async (fn: () => unknown): Promise<string | undefined> => {
  try {
    await fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
};

test('cidr parsing clears host bits and rejects junk', async () => {
  assert.is(formatCidr(parseCidr('172.18.5.4/16')), '172.18.0.0/16');
  assert.ok(overlaps(parseCidr('10.0.0.0/8'), parseCidr('10.1.2.0/24')));
  assert.not.ok(overlaps(parseCidr('10.0.0.0/24'), parseCidr('10.0.1.0/24')));
  assert.is(await code(() => parseCidr('10.0.0.0/33')), 'network/invalid-subnet');
  assert.is(await code(() => parseCidr('banana')), 'network/invalid-subnet');
});

test('the pool skips host routes, addresses and other networks', () => {
  const taken = [parseCidr('172.18.0.0/16'), parseCidr('172.19.3.0/24')];
  assert.equal(chooseSubnet('n', taken, {}), { subnet: '172.20.0.0/16', gateway: '172.20.0.1', ipRange: '172.20.0.0/16' });
});

test('ipam.config subnet/gateway/ip_range honoured and checked', async () => {
  assert.equal(chooseSubnet('n', [], { subnet: '10.5.0.0/24', gateway: '10.5.0.254', ipRange: '10.5.0.128/25' }), { subnet: '10.5.0.0/24', gateway: '10.5.0.254', ipRange: '10.5.0.128/25' });
  assert.is(await code(() => chooseSubnet('n', [], { subnet: '10.5.0.0/24', gateway: '10.6.0.1' })), 'network/invalid-gateway');
  assert.is(await code(() => chooseSubnet('n', [], { subnet: '10.5.0.0/24', ipRange: '10.6.0.0/25' })), 'network/invalid-subnet');
});

test('leases: round robin, requested address, in-use, release', async () => {
  const root = mkdtempSync(join(tmpdir(), 'berth-ipam-'));
  try {
    const net: NetworkRecord = {
      name: 'p_default',
      project: 'p',
      bridge: 'bthx',
      subnet: '10.9.0.0/29',
      gateway: '10.9.0.1',
      ipRange: '10.9.0.0/29',
      internal: false,
      mtu: 1500,
      labels: {},
      created: '',
    };
    const a = await allocateAddress(root, net, 'a');
    const b = await allocateAddress(root, net, 'b');
    assert.equal([a, b], ['10.9.0.2', '10.9.0.3']);
    releaseAddresses(root, net.name, 'a');
    assert.is(await allocateAddress(root, net, 'c'), '10.9.0.4', 'round robin: the freed .2 is not reused at once');
    assert.is(await allocateAddress(root, net, 'd', '10.9.0.6'), '10.9.0.6');
    assert.is(await allocateAddress(root, net, 'd', '10.9.0.6'), '10.9.0.6', 'same owner: idempotent');
    assert.is(await code(() => allocateAddress(root, net, 'e', '10.9.0.6')), 'network/address-in-use');
    assert.is(await code(() => allocateAddress(root, net, 'e', '10.9.0.1')), 'network/invalid-address');
    assert.is(await code(() => allocateAddress(root, net, 'e', '10.9.1.5')), 'network/invalid-address');
    assert.is(await allocateAddress(root, net, 'f'), '10.9.0.5');
    assert.is(await allocateAddress(root, net, 'g'), '10.9.0.2', 'wraps around to the freed one');
    assert.is(await code(() => allocateAddress(root, net, 'h')), 'network/addresses-exhausted');
    assert.equal([...listLeases(root, net.name).values()].sort(), ['b', 'c', 'd', 'f', 'g']);
    for (const o of ['b', 'c', 'd', 'f', 'g']) releaseAddresses(root, net.name, o);
    assert.equal(
      readdirSync(join(root, 'ipam', net.name)).filter((f) => !['last'].includes(f)),
      [],
    );
    assert.equal(releaseAddresses(root, 'missing', 'x'), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('concurrent allocations never hand out one address twice', async () => {
  const root = mkdtempSync(join(tmpdir(), 'berth-ipam-'));
  try {
    const net: NetworkRecord = { name: 'p_x', project: 'p', bridge: 'bthx', subnet: '10.9.0.0/24', gateway: '10.9.0.1', ipRange: '10.9.0.0/24', internal: false, mtu: 1500, labels: {}, created: '' };
    const ips = await Promise.all(Array.from({ length: 40 }, (_, i) => allocateAddress(root, net, `c${i}`)));
    assert.is(new Set(ips).size, 40);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
