// Builds the C shim (native/*.c -> native/build/berth-shim) with the system C compiler.
// Runs at `npm install`. Fails with a clear message when there is no compiler.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'native');
const outDir = join(srcDir, 'build');
const out = join(outDir, 'berth-shim');
const sources = existsSync(srcDir) ? readdirSync(srcDir).filter((f) => f.endsWith('.c')).map((f) => join(srcDir, f)) : [];

if (sources.length === 0) process.exit(0);
const headers = readdirSync(srcDir).filter((f) => f.endsWith('.h')).map((f) => join(srcDir, f));
const newest = Math.max(...[...sources, ...headers, fileURLToPath(import.meta.url)].map((f) => statSync(f).mtimeMs));
if (existsSync(out) && statSync(out).mtimeMs >= newest && !process.argv.includes('--force')) process.exit(0);

const cc = process.env.CC ?? 'cc';
try {
  execFileSync(cc, ['--version'], { stdio: 'ignore' });
} catch {
  console.error(`berth: cannot build the container shim: no C compiler found (tried "${cc}").`);
  console.error('  berth needs a C compiler at install time: on Debian/Ubuntu run `apt-get install gcc`, then `npm install` again.');
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });
try {
  execFileSync(cc, ['-O2', '-Wall', '-Wextra', '-Werror=implicit-function-declaration', '-std=gnu11', '-static-pie', '-o', out, ...sources], {
    stdio: 'inherit',
  });
} catch {
  // Static linking needs libc.a; fall back to a dynamic binary.
  try {
    execFileSync(cc, ['-O2', '-Wall', '-Wextra', '-std=gnu11', '-o', out, ...sources], { stdio: 'inherit' });
  } catch {
    console.error('berth: the container shim failed to compile (see the compiler output above).');
    process.exit(1);
  }
}
