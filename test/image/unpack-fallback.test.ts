// unpackLayer when berth-unpack cannot inflate or hash (built without zlib's or OpenSSL's
// headers): Node does that part, berth-unpack still applies every rule. Forced here by the
// capabilities option on this machine's own build; test/native/unpack-build.test.ts runs a
// real build without the headers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { unpackCapabilities, type UnpackCapability } from '../../src/image/unpack.js';
import { makeTestRoots, skipUnlessKernel } from '../helpers/kernel.js';
import { unpackChecks } from './unpack-fallback-checks.js';

const skip = skipUnlessKernel('image unpack (Node inflates and hashes)');
const roots = makeTestRoots('unpack-fallback');

if (!skip) {
  test('berth-unpack says what it does itself: known words only', async () => {
    const can = await unpackCapabilities();
    for (const c of can) assert.ok(['gunzip', 'sha256'].includes(c), c);
    console.log(`# this build of berth-unpack: ${[...can].join(' ') || '(inflates and hashes nothing)'}`);
  });

  unpackChecks(test, `${roots.root}/as-built`, 'as built');
  const forced: [string, UnpackCapability[]][] = [
    ['without zlib (Node inflates)', ['sha256']],
    ['without libcrypto (Node inflates and hashes)', ['gunzip']],
    ['without either', []],
  ];
  for (const [label, can] of forced) unpackChecks(test, `${roots.root}/${can.join('-') || 'none'}`, label, new Set(can));
}

test.after(() => roots.cleanup());
test.run();
