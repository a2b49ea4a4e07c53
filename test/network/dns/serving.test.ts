import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { boundIn, procNetAddress } from '../../../src/network/dns/serving.js';

const PROC_NET_UDP = `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
 2063: 010012AC:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 12095238 2 00000000ecd22c72 0
 2070: 0100007F:1F90 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 12095239 2 00000000ecd22c73 0
`;

test('an IPv4 address and port as /proc/net/udp writes them', () => {
  assert.is(procNetAddress('172.18.0.1', 53), '010012AC:0035');
  assert.is(procNetAddress('127.0.0.1', 8080), '0100007F:1F90');
});

test('bound: the exact address and port only', () => {
  assert.ok(boundIn(PROC_NET_UDP, '172.18.0.1', 53));
  assert.not.ok(boundIn(PROC_NET_UDP, '172.18.0.1', 54));
  assert.not.ok(boundIn(PROC_NET_UDP, '172.19.0.1', 53));
  assert.not.ok(boundIn(PROC_NET_UDP, '127.0.0.1', 53));
  assert.not.ok(boundIn('', '172.18.0.1', 53));
});

test.run();
