// Builds berth's native programs with the system C compiler, at `npm install`:
// every folder native/<name>/ with .c files becomes native/build/berth-<name>.
// Fails with a clear message when there is no compiler.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/**
 * Libraries a program links when a test program with their header compiles and links here:
 * berth-unpack inflates (zlib, or ISA-L's igzip where installed: `-D<ifFound>`) and hashes
 * (libcrypto) on a thread of its own. Without the headers (a machine with only gcc and
 * libc6-dev) it is built without them (`-D<ifMissing>`) and berth inflates and hashes in Node instead: slower pulls,
 * the same unpack rules (`berth-unpack --capabilities` says which). Such a build is probed
 * again at the next run, and built again when the headers have been installed since.
 */
const OPTIONAL = {
  unpack: [
    // ISA-L's igzip (Debian's libisal-dev) inflates gzip about twice as fast as zlib: used when there
    {
      lib: '-lisal',
      capability: 'igzip',
      ifFound: 'BERTH_UNPACK_ISAL',
      probe: '#include <isa-l/igzip_lib.h>\nint main(void) { struct inflate_state s; isal_inflate_init(&s); s.crc_flag = ISAL_GZIP; return isal_inflate(&s) != ISAL_DECOMP_OK; }\n',
    },
    {
      lib: '-lz',
      capability: 'gunzip',
      ifMissing: 'BERTH_UNPACK_NO_ZLIB',
      probe: '#include <zlib.h>\nint main(void) { z_stream z = { 0 }; return inflateInit2(&z, 16 + MAX_WBITS) != Z_OK; }\n',
    },
    {
      lib: '-lcrypto',
      capability: 'sha256',
      ifMissing: 'BERTH_UNPACK_NO_CRYPTO',
      probe:
        '#include <openssl/crypto.h>\n#include <openssl/evp.h>\nint main(void) { OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, NULL); EVP_MD_CTX *c = EVP_MD_CTX_new(); return !c || !EVP_DigestInit_ex(c, EVP_sha256(), NULL); }\n',
    },
  ],
};
/** Libraries a program always links (after its sources). */
const LIBS = { unpack: ['-pthread'] };

/** Whether an optional library's test program compiles and links here (quietly). */
function compiles(p) {
  try {
    execFileSync(cc, ['-x', 'c', '-', '-o', '/dev/null', p.lib], { input: p.probe, stdio: ['pipe', 'ignore', 'ignore'] });
    return true;
  } catch {
    return false;
  }
}

/** The libraries to link and the defines for those missing. */
function optionalLibraries(name) {
  const found = { libs: [...(LIBS[name] ?? [])], defines: [], missing: [] };
  for (const p of OPTIONAL[name] ?? []) {
    if (compiles(p)) {
      found.libs.push(p.lib);
      if (p.ifFound) found.defines.push(`-D${p.ifFound}`);
    } else if (p.ifMissing) {
      found.defines.push(`-D${p.ifMissing}`);
      found.missing.push(p.lib);
    }
  }
  return found;
}

/** An up-to-date program built without a library whose headers are here now (installed since): it is built again. */
function gainsLibraries(name, out) {
  const probes = OPTIONAL[name] ?? [];
  if (probes.length === 0) return false;
  let can;
  try {
    can = execFileSync(out, ['--capabilities'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .trim()
      .split(/\s+/);
  } catch {
    return true;
  }
  return probes.some((p) => !can.includes(p.capability) && compiles(p));
}

// Headers shared by the programs (native/common/, no program of its own): a change rebuilds them all.
const commonDir = join(nativeDir, 'common');
const common = existsSync(commonDir) ? readdirSync(commonDir).map((f) => join(commonDir, f)) : [];

let checkedCompiler = false;
let musl;
for (const name of programs) {
  const dir = join(nativeDir, name);
  const files = readdirSync(dir).map((f) => join(dir, f));
  const sources = files.filter((f) => f.endsWith('.c'));
  const inputs = [...files, ...common].filter((f) => f.endsWith('.c') || f.endsWith('.h'));
  const out = join(outDir, `berth-${name}`);
  const newest = Math.max(...[...inputs, fileURLToPath(import.meta.url)].map((f) => statSync(f).mtimeMs));
  if (!force && existsSync(out) && statSync(out).mtimeMs >= newest && !gainsLibraries(name, out)) continue;
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
  if (name === 'shim') musl = muslToolchain();
  const optional = optionalLibraries(name);
  mkdirSync(outDir, { recursive: true });
  // Hardened as distributions build setuid-grade programs: warnings are errors, fortified libc
  // calls (level 3: gcc >= 12 with glibc >= 2.34, as on Debian 12; musl has no fortified
  // calls), stack protector, a position-independent executable, full RELRO. No debug
  // sections (the C libraries' own): the shim copies its whole file for every container.
  const flags = ['-O2', '-Wall', '-Wextra', '-Werror', '-std=gnu11', '-D_GNU_SOURCE', '-fstack-protector-strong', '-fPIE', '-Wl,-z,relro,-z,now', '-Wl,--strip-debug'];
  const fortify = '-D_FORTIFY_SOURCE=3';
  // Static: the shim re-executes itself from a sealed memfd and may run with an empty
  // environment; no dynamic loader surprises. A static PIE keeps ASLR for the program too.
  // The shim with musl (Debian's musl-tools) when installed: ~180 KB instead of ~1.1 MB with
  // glibc, and every running container keeps a shim with its own sealed copy of that file.
  const attempts = [
    ...(musl && name === 'shim' ? [{ libc: 'musl', args: [...flags, ...musl.compile, '-o', out, ...musl.before, ...sources, ...musl.after] }] : []),
    { libc: 'glibc', args: [...flags, fortify, ...optional.defines, '-static-pie', '-o', out, ...sources, ...optional.libs] },
    { libc: 'glibc, dynamic', args: [...flags, fortify, ...optional.defines, '-pie', '-o', out, ...sources, ...optional.libs] },
  ];
  const built = attempts.findIndex((a, i) => {
    try {
      execFileSync(cc, a.args, { stdio: ['ignore', 'inherit', i === attempts.length - 1 ? 'inherit' : 'pipe'] });
      return true;
    } catch (err) {
      if (a.libc === 'musl')
        console.error(
          `berth: native/${name}: musl build failed, using glibc: ${
            String(err.stderr)
              .split('\n')
              .find((l) => /error/.test(l)) ?? err.message
          }`,
        );
      return false;
    }
  });
  if (built < 0) {
    console.error(`berth: native program ${name} failed to compile (see the compiler output above).`);
    process.exit(1);
  }
  // one quiet line (not a warning: everything works), seen by `npm run build`, not by `npm ci`
  if (optional.missing.length)
    console.log(`berth: native/${name} built without ${optional.missing.join(' ')} (no headers): Node inflates and hashes layers instead (zlib1g-dev libssl-dev make pulls faster)`);
}

/**
 * The musl toolchain (Debian's musl-tools: headers and a static libc for this architecture)
 * as flags for the system compiler, building a static PIE; undefined when not installed.
 * musl's headers come first; the kernel's (linux/, asm/, asm-generic/) through a directory of
 * links to them, so that no header of glibc mixes in.
 */
function muslToolchain() {
  let gnu;
  try {
    gnu = execFileSync(cc, ['-print-multiarch'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
  if (!gnu.endsWith('-linux-gnu')) return undefined;
  const triple = gnu.replace(/-gnu$/, '-musl');
  const lib = `/usr/lib/${triple}`;
  const include = `/usr/include/${triple}`;
  const kernel = { linux: '/usr/include/linux', asm: `/usr/include/${gnu}/asm`, 'asm-generic': '/usr/include/asm-generic' };
  if (![`${lib}/rcrt1.o`, `${lib}/libc.a`, `${include}/stdio.h`, ...Object.values(kernel)].every((f) => existsSync(f))) return undefined;
  // a private temporary directory (0700), removed when the build ends
  const links = mkdtempSync(join(tmpdir(), 'berth-musl-include-'));
  process.on('exit', () => rmSync(links, { recursive: true, force: true }));
  for (const [dir, target] of Object.entries(kernel)) symlinkSync(target, join(links, dir));
  const gcc = (what) => execFileSync(cc, [`-print-${what}`], { encoding: 'utf8' }).trim();
  return {
    compile: ['-nostdinc', '-isystem', include, '-isystem', links, '-isystem', gcc('file-name=include'), '-static-pie', '-nostdlib', '-nostartfiles'],
    before: [`${lib}/rcrt1.o`, `${lib}/crti.o`, gcc('file-name=crtbeginS.o')],
    after: [`-L${lib}`, '-lc', gcc('libgcc-file-name'), gcc('file-name=crtendS.o'), `${lib}/crtn.o`],
  };
}

// The bundled example's image is `FROM scratch` + berth-hello (examples/hello/Dockerfile):
// it runs offline, with no registry. Its build context gets a copy of the program.
const hello = join(outDir, 'berth-hello');
const exampleCopy = join(root, 'examples', 'hello', 'hello');
if (existsSync(hello) && (!existsSync(exampleCopy) || statSync(exampleCopy).mtimeMs < statSync(hello).mtimeMs)) copyFileSync(hello, exampleCopy);
