// unpackLayer when berth-unpack cannot inflate or hash (built without zlib's or OpenSSL's
// headers): Node does that part, berth-unpack still applies every rule. Forced here by the
// capabilities option on this machine's own build; test/native/unpack-build.test.ts runs a
// real build without the headers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BerthError } from '../../src/errors.js';
import { tarBuffer } from '../../src/image/tar-writer.js';
import { unpackCapabilities, unpackLayer, type UnpackCapability } from '../../src/image/unpack.js';
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

  test('Node inflates as berth-unpack does: cut, damaged or followed by other bytes, the same diff id or a refusal from both', async () => {
    const can = await unpackCapabilities();
    if (!can.has('gunzip') || !can.has('sha256')) {
      console.log('# this berth-unpack does not inflate: nothing to compare with');
      return;
    }
    const tar = tarBuffer([
      { name: 'a/', type: 'directory', mode: 0o755 },
      { name: 'a/f', type: 'file', mode: 0o644, data: 'hello berth\n'.repeat(40) },
      { name: 'a/g', type: 'file', mode: 0o600, data: 'x'.repeat(700) },
    ]);
    const gz = Buffer.concat([gzipSync(tar.subarray(0, 700)), gzipSync(tar.subarray(700))]);
    const streams: Buffer[] = [];
    for (let cut = 0; cut <= gz.length; cut += 3) streams.push(gz.subarray(0, cut));
    for (let at = 0; at < gz.length; at += 3) streams.push(Buffer.from(gz).fill(gz[at]! ^ 0x21, at, at + 1));
    streams.push(Buffer.concat([gz, Buffer.from('trailing garbage')]), Buffer.concat([gz, Buffer.from([0x1f])]), Buffer.concat([gz, Buffer.alloc(600)]));
    let n = 0;
    const outcome = async (bytes: Buffer, capabilities?: ReadonlySet<UnpackCapability>): Promise<string> => {
      const dest = join(roots.root, 'diff', `${n++}`);
      mkdirSync(dest, { recursive: true });
      async function* once(): AsyncGenerator<Buffer> {
        yield bytes;
      }
      return unpackLayer(once(), dest, { what: 'image x layer 1', gunzip: true, ...(capabilities ? { capabilities } : {}) }).then(
        (r) => r.digest,
        (err: unknown) => {
          // a damaged layer may be refused for its tar or its gzip first: whichever thread sees it first
          assert.ok(err instanceof BerthError && ['image/invalid-layer', 'image/invalid-tar', 'image/unsafe-layer'].includes(err.code), String(err));
          return 'refused';
        },
      );
    };
    let accepted = 0;
    for (const [i, bytes] of streams.entries()) {
      const native = await outcome(bytes);
      assert.is(await outcome(bytes, new Set()), native, `stream ${i} (${bytes.length} bytes)`);
      if (native !== 'refused') accepted++;
    }
    console.log(`# ${streams.length} streams: ${accepted} accepted by both with the same diff id, the others refused by both`);
  });
}

test.after(() => roots.cleanup());
test.run();
