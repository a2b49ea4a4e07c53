// DNS packet parser (issue 12 fuzzing): any datagram gives a question or undefined, never a
// throw; a question built by buildQuery parses back; a reply to any parsed question builds.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fc from 'fast-check';
import { buildQuery, buildReply, parseQuery, RCODE_OK } from '../../../src/network/dns/packet.js';
import { fuzzParams } from '../../helpers/fuzz.js';

const label = fc.stringMatching(/^[a-zA-Z0-9-]{1,63}$/);

test('any bytes: a question or undefined; a reply to it builds', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
      const msg = Buffer.from(bytes);
      const q = parseQuery(msg);
      if (q) buildReply(msg, q, RCODE_OK, ['10.0.0.1']);
    }),
    fuzzParams(),
  );
});

test('a query header with random labels and flags: parsed or undefined', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 12, maxLength: 12 }), fc.array(fc.uint8Array({ maxLength: 70 }), { maxLength: 8 }), fc.uint8Array({ maxLength: 6 }), (head, labels, tail) => {
      const msg = Buffer.concat([Buffer.from(head), ...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])), Buffer.from([0]), Buffer.from(tail)]);
      const q = parseQuery(msg);
      if (q) assert.ok(q.end <= msg.length);
    }),
    fuzzParams(),
  );
});

test('buildQuery -> parseQuery round trip', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0xffff }), fc.array(label, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 0xffff }), (id, labels, type) => {
      const q = parseQuery(buildQuery(id, labels.join('.'), type));
      assert.ok(q);
      assert.is(q.id, id);
      assert.is(q.name, labels.join('.').toLowerCase());
      assert.is(q.type, type);
    }),
    fuzzParams(),
  );
});

test.run();
