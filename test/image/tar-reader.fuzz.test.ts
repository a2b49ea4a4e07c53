// Tar reader (issue 12 fuzzing): any stream ends in entries or a typed error
// (`image/invalid-tar`), never another exception or a hang. Headers are mutated and their
// checksums fixed, so the cases reach past the checksum into the field parsers.
import { test } from 'uvu';
import * as fc from 'fast-check';
import { readTar } from '../../src/image/tar-reader.js';
import { tarBuffer } from '../../src/image/tar-writer.js';
import { fuzzParams, valueOrTypedAsync } from '../helpers/fuzz.js';

const base = tarBuffer([
  { name: 'dir/', type: 'directory', mode: 0o755, mtime: 1 },
  { name: 'dir/file', type: 'file', mode: 0o644, mtime: 1, data: 'hello\n' },
  { name: 'dir/link', type: 'symlink', mode: 0o777, mtime: 1, linkname: 'file' },
]);

async function* chunks(b: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

async function drain(b: Buffer, chunk: number): Promise<void> {
  for await (const e of readTar(chunks(b, chunk))) {
    for await (const _ of e.body()) {
      // read every byte
    }
  }
}

/** Recomputes the checksum of every 512-byte block that looks like a header. */
function fixChecksums(b: Buffer): Buffer {
  for (let off = 0; off + 512 <= b.length; off += 512) {
    const h = b.subarray(off, off + 512);
    h.fill(0x20, 148, 156);
    let sum = 0;
    for (const c of h) sum += c;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  }
  return b;
}

const mutation = fc.record({ at: fc.nat({ max: base.length - 1 }), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) });
/** Pax, GNU long-name and odd type flags in the first header. */
const flag = fc.constantFrom('x', 'g', 'L', 'K', '0', '1', '2', '3', '4', '5', '6', '7', 'S', 'V', '\0');

test('found by fuzzing: an empty pax record at a chunk boundary is read, not a TypeError', async () => {
  const b = Buffer.from(base);
  b.write('x', 156, 'latin1');
  await valueOrTypedAsync(() => drain(fixChecksums(b), 1));
});

test('random bytes: entries or image/invalid-tar', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 1, max: 700 }), (bytes, chunk) => valueOrTypedAsync(() => drain(Buffer.from(bytes), chunk))),
    fuzzParams(),
  );
});

test('a valid archive with mutated headers (checksums fixed): entries or image/invalid-tar', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(mutation, { maxLength: 8 }), flag, fc.boolean(), fc.integer({ min: 1, max: 1100 }), async (muts, f, fix, chunk) => {
      const b = Buffer.from(base);
      b.write(f, 156, 'latin1');
      for (const m of muts) b.set(m.bytes.subarray(0, b.length - m.at), m.at);
      await valueOrTypedAsync(() => drain(fix ? fixChecksums(b) : b, chunk));
    }),
    fuzzParams(),
  );
});

test.run();
