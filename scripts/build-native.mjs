// Builds berth's native programs with the system C compiler, at `npm install`:
// every folder native/<name>/ with .c files becomes native/build/berth-<name>.
// Fails with a clear message when there is no compiler.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(import.meta.dirname, '..');
const nativeDir = join(root, 'native');
const outDir = join(nativeDir, 'build');
const force = process.argv.includes('--force');
const cc = process.env.CC ?? 'cc';

const programs = existsSync(nativeDir)
  ? readdirSync(nativeDir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name !== 'build')
      .map((e) => e.name)
      .filter((name) => readdirSync(join(nativeDir, name)).some((f) => f.endsWith('.c')))
  : [];
if (programs.length === 0) process.exit(0);

let checkedCompiler = false;
for (const name of programs) {
  const dir = join(nativeDir, name);
  const files = readdirSync(dir).map((f) => join(dir, f));
  const sources = files.filter((f) => f.endsWith('.c'));
  const inputs = files.filter((f) => f.endsWith('.c') || f.endsWith('.h'));
  const out = join(outDir, `berth-${name}`);
  const newest = Math.max(...[...inputs, fileURLToPath(import.meta.url)].map((f) => statSync(f).mtimeMs));
  if (!force && existsSync(out) && statSync(out).mtimeMs >= newest) continue;
  if (!checkedCompiler) {
    try {
      execFileSync(cc, ['--version'], { stdio: 'ignore' });
    } catch {
      console.error(`berth: cannot build the native shim: no C compiler found (tried "${cc}").`);
      console.error('  berth needs a C compiler at install time: on Debian/Ubuntu run `apt-get install gcc libc6-dev`, then `npm install` again.');
      process.exit(1);
    }
    checkedCompiler = true;
  }
  mkdirSync(outDir, { recursive: true });
  // Hardened as distributions build setuid-grade programs: warnings are errors, fortified libc
  // calls (level 3: gcc >= 12 with glibc >= 2.34, as on Debian 12), stack protector, a
  // position-independent executable, full RELRO.
  const flags = ['-O2', '-Wall', '-Wextra', '-Werror', '-std=gnu11', '-D_GNU_SOURCE', '-D_FORTIFY_SOURCE=3', '-fstack-protector-strong', '-fPIE', '-Wl,-z,relro,-z,now'];
  try {
    // Static: the shim re-executes itself from a sealed memfd and may run with an empty
    // environment; no dynamic loader surprises. A static PIE keeps ASLR for the program too.
    execFileSync(cc, [...flags, '-static-pie', '-o', out, ...sources], { stdio: ['ignore', 'inherit', 'pipe'] });
  } catch {
    try {
      execFileSync(cc, [...flags, '-pie', '-o', out, ...sources], { stdio: 'inherit' });
    } catch {
      console.error(`berth: native program ${name} failed to compile (see the compiler output above).`);
      process.exit(1);
    }
  }
}

// The bundled example's image is `FROM scratch` + berth-hello (examples/hello/Dockerfile):
// it runs offline, with no registry. Its build context gets a copy of the program.
const hello = join(outDir, 'berth-hello');
const exampleCopy = join(root, 'examples', 'hello', 'hello');
if (existsSync(hello) && (!existsSync(exampleCopy) || statSync(exampleCopy).mtimeMs < statSync(hello).mtimeMs)) copyFileSync(hello, exampleCopy);
