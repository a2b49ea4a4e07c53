import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isoMsReader } from '../../src/util/iso-ms.js';

test("isoMsReader: as Date.parse, for the shim's times in order and for anything else", () => {
  const read = isoMsReader();
  const times = [
    '2026-12-06T22:40:36.000000000Z',
    '2026-12-06T22:40:36.123456789Z',
    '2026-12-06T22:40:36.999999999Z',
    '2026-12-06T22:40:37.000000001Z',
    '2026-12-31T23:59:59.999999999Z',
    '2027-01-01T00:00:00.000500000Z',
    '2026-12-06T22:40:36.123Z',
    '2026-12-06T22:40:36Z',
    '2026-12-06T22:40:36.12x456789Z',
    '2026-02-30T22:40:36.123456789Z',
    '2026-12-06T22:40:36.123456789+01:00',
    'not a time',
    '',
  ];
  for (const t of [...times, ...times.reverse()]) assert.equal(read(t), Date.parse(t), t);
});

test.run();
