// Netlink parser (issue 12 fuzzing): any bytes from the relay split into messages, their
// attributes and error replies parse without throwing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fc from 'fast-check';
import { parseAttrs, parseError, splitMessages } from '../../../src/network/netlink/message.js';
import { NLMSG_ERROR } from '../../../src/network/netlink/constants.js';
import { fuzzParams } from '../../helpers/fuzz.js';

/** One netlink message with a length that may lie. */
const message = fc.record({
  lenDelta: fc.integer({ min: -20, max: 8 }),
  type: fc.oneof(fc.constant(NLMSG_ERROR), fc.integer({ min: 0, max: 0xffff })),
  flags: fc.integer({ min: 0, max: 0xffff }),
  body: fc.uint8Array({ maxLength: 64 }),
});

function encode(m: { lenDelta: number; type: number; flags: number; body: Uint8Array }): Buffer {
  const head = Buffer.alloc(16);
  head.writeUInt32LE(Math.max(0, 16 + m.body.length + m.lenDelta), 0);
  head.writeUInt16LE(m.type, 4);
  head.writeUInt16LE(m.flags, 6);
  const pad = Buffer.alloc((4 - (m.body.length % 4)) % 4);
  return Buffer.concat([head, Buffer.from(m.body), pad]);
}

test('found by fuzzing: an NLMSG_ERROR without its errno is EPROTO, not a RangeError', () => {
  const [m] = splitMessages(encode({ lenDelta: 0, type: NLMSG_ERROR, flags: 0, body: new Uint8Array(0) }));
  assert.equal(parseError(m!), { errno: 71, message: 'truncated netlink error message' });
});

test('any bytes: messages, attributes, errors parse without throwing', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
      for (const m of splitMessages(Buffer.from(bytes))) {
        parseAttrs(m.body);
        parseError(m);
      }
    }),
    fuzzParams(),
  );
});

test('well-framed messages with lying lengths, short error bodies and random attributes', () => {
  fc.assert(
    fc.property(fc.array(message, { maxLength: 6 }), (msgs) => {
      for (const m of splitMessages(Buffer.concat(msgs.map(encode)))) {
        parseAttrs(m.body);
        parseError(m);
      }
    }),
    fuzzParams(),
  );
});

test.run();
