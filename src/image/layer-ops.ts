// Client of native/layer (berth-layer): mknod and xattrs, which Node's fs lacks.
// One helper process per unpack/commit, started lazily on the first request.
import type { ChildProcess } from 'node:child_process';
import { BerthError } from '../errors.js';
const { spawn } = process.getBuiltinModule('node:child_process');
const { existsSync } = process.getBuiltinModule('node:fs');
const { createInterface } = process.getBuiltinModule('node:readline');
const { constants } = process.getBuiltinModule('node:os');
const { dirname, join } = process.getBuiltinModule('node:path');

let cachedPath: string | undefined;

/** Finds native/build/berth-layer next to the package (src/ or dist/src/ layouts). */
export function layerHelperPath(): string {
  if (cachedPath) return cachedPath;
  const fromEnv = process.env.BERTH_NATIVE_DIR;
  if (fromEnv && existsSync(join(fromEnv, 'berth-layer'))) return (cachedPath = join(fromEnv, 'berth-layer'));
  let dir = import.meta.dirname;
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'native', 'build', 'berth-layer');
    if (existsSync(p)) return (cachedPath = p);
    dir = dirname(dir);
  }
  throw new BerthError('image/native-missing', 'the native helper berth-layer is not built', { hint: 'run `node scripts/build-native.mjs` (needs gcc)' });
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
    const child = spawn(layerHelperPath(), [], { stdio: ['pipe', 'pipe', 'inherit'] });
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
