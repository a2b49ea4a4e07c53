// Client of native/layer (berth-layer): mknod and xattrs, which Node's fs lacks (commits,
// builds). One helper process per commit/build, started lazily on the first request.
import type { ChildProcess } from 'node:child_process';
import { BerthError } from '../errors.js';
const { spawn } = process.getBuiltinModule('node:child_process');
const { existsSync } = process.getBuiltinModule('node:fs');
const { createInterface } = process.getBuiltinModule('node:readline');
const { constants } = process.getBuiltinModule('node:os');
const { dirname, join } = process.getBuiltinModule('node:path');

const cachedPaths = new Map<string, string>();

/** Finds native/build/<name> next to the package (src/ or dist/src/ layouts), or in $BERTH_NATIVE_DIR. */
export function nativeHelperPath(name: 'berth-layer' | 'berth-unpack'): string {
  const cached = cachedPaths.get(name);
  if (cached) return cached;
  const fromEnv = process.env.BERTH_NATIVE_DIR;
  const candidates = fromEnv ? [join(fromEnv, name)] : [];
  for (let dir = import.meta.dirname, i = 0; i < 6; i++, dir = dirname(dir)) candidates.push(join(dir, 'native', 'build', name));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new BerthError('image/native-missing', `the native helper ${name} is not built`, { hint: 'run `node scripts/build-native.mjs` (needs gcc)' });
  cachedPaths.set(name, found);
  return found;
}

const hex = (s: string | Buffer): string => Buffer.from(s).toString('hex');

function errnoName(n: number): string {
  for (const [k, v] of Object.entries(constants.errno)) if (v === n) return k;
  return `errno ${n}`;
}

export class LayerOps {
  private child: ChildProcess | undefined;
  private pending: { resolve: (s: string) => void; reject: (e: Error) => void }[] = [];

  private start(): ChildProcess {
    if (this.child) return this.child;
    const child = spawn(nativeHelperPath('berth-layer'), [], { stdio: ['pipe', 'pipe', 'inherit'] });
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => this.pending.shift()?.resolve(line));
    child.on('exit', () => {
      for (const p of this.pending.splice(0)) p.reject(new BerthError('image/native-failed', 'berth-layer exited unexpectedly'));
    });
    child.on('error', (err) => {
      for (const p of this.pending.splice(0)) p.reject(err);
    });
    this.child = child;
    return child;
  }

  private async request(line: string, what: string, path: string): Promise<string> {
    const child = this.start();
    const reply = await new Promise<string>((resolve, reject) => {
      this.pending.push({ resolve, reject });
      child.stdin!.write(`${line}\n`);
    });
    if (reply.startsWith('ok')) return reply.slice(3);
    const errno = Number(reply.split(' ')[1]);
    const code = errnoName(errno);
    const err = Object.assign(new Error(`${what} ${path}: ${code}`), { code, path, syscall: what });
    throw err;
  }

  mknod(path: string, mode: number, major: number, minor: number): Promise<string> {
    return this.request(`N ${hex(path)} ${mode.toString(8)} ${major} ${minor}`, 'mknod', path);
  }

  async setXattr(path: string, name: string, value: Buffer): Promise<void> {
    await this.request(`X ${hex(path)} ${hex(name)} ${value.toString('hex')}`, 'lsetxattr', path);
  }

  /** The attribute's value, or undefined when it is not set. */
  async getXattr(path: string, name: string): Promise<Buffer | undefined> {
    try {
      return Buffer.from(await this.request(`G ${hex(path)} ${hex(name)}`, 'lgetxattr', path), 'hex');
    } catch (err) {
      if ((err as { code?: string }).code === 'ENODATA') return undefined;
      throw err;
    }
  }

  async listXattrs(path: string): Promise<string[]> {
    const out = await this.request(`L ${hex(path)}`, 'llistxattr', path);
    return out === '' ? [] : out.split(',').map((h) => Buffer.from(h, 'hex').toString());
  }

  close(): void {
    this.child?.stdin?.end();
    this.child = undefined;
  }
}
