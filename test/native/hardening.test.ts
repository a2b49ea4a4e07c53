// The native programs are built hardened (scripts/build-native.mjs): position-independent,
// full RELRO (BIND_NOW), stack protector, and fortified libc calls with glibc (musl, which
// the shim is built with when installed, has none).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const BUILD = join(import.meta.dirname, '..', '..', '..', 'native', 'build');
const tool = (cmd: string, args: string[]): string | undefined => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 16 << 20 });
  return r.status === 0 ? r.stdout : undefined;
};
const skip = !existsSync(BUILD) ? 'native programs not built' : tool('readelf', ['--version']) === undefined ? 'readelf missing (binutils)' : undefined;

if (skip) {
  console.log(`# skip native hardening: ${skip}`);
} else {
  for (const name of readdirSync(BUILD).filter((f) => f.startsWith('berth-'))) {
    test(`${name}: PIE, full RELRO, stack protector, fortified (glibc)`, () => {
      const file = join(BUILD, name);
      assert.is(readFileSync(file).readUInt16LE(16), 3, 'ELF type is not ET_DYN (not a PIE)');
      assert.match(tool('readelf', ['-d', file]) ?? '', /BIND_NOW|FLAGS.*\bNOW\b/);
      assert.match(tool('readelf', ['-lW', file]) ?? '', /GNU_RELRO/);
      const syms = tool('nm', [file]) ?? '';
      assert.match(syms, /__stack_chk_fail/);
      if (!/\b__init_libc\b/.test(syms)) assert.match(syms, /_chk\b/); // glibc; musl has its own __init_libc
    });
  }
  test.run();
}
