// Messages from the shim: JSON lines on the sync fd (3) and the error fd (4). They enter
// through this validating parser; past it the code sees typed values.
import { BerthError } from '../errors.js';

export type ShimMessage =
  | { readonly type: 'created'; readonly pid: number }
  | { readonly type: 'exit'; readonly exitCode: number; readonly signal: number; readonly oomKilled: boolean; readonly finishedAt: string };

export interface ShimFailure {
  readonly syscall: string;
  readonly errno: number;
  readonly path: string;
  readonly message: string;
}

const isInt = (v: unknown): v is number => Number.isSafeInteger(v);

export function parseShimMessage(line: string): ShimMessage | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  // a pid is a positive integer (0 or -1 would make a kill reach a whole group), codes are integers
  if (o.type === 'created' && isInt(o.pid) && o.pid > 0) return { type: 'created', pid: o.pid };
  if (o.type === 'exit' && isInt(o.exitCode)) {
    return {
      type: 'exit',
      exitCode: o.exitCode,
      signal: isInt(o.signal) ? o.signal : 0,
      oomKilled: o.oomKilled === true,
      finishedAt: typeof o.finishedAt === 'string' ? o.finishedAt : new Date().toISOString(),
    };
  }
  return undefined;
}

export function parseShimFailure(line: string): ShimFailure | undefined {
  try {
    const o = JSON.parse(line) as Record<string, unknown>;
    if (o.type !== 'error') return undefined;
    return {
      syscall: String(o.syscall ?? ''),
      errno: typeof o.errno === 'number' ? o.errno : 0,
      path: String(o.path ?? ''),
      message: String(o.message ?? ''),
    };
  } catch {
    return undefined;
  }
}

const ERRNO_NAMES: Readonly<Record<number, string>> = {
  1: 'EPERM',
  2: 'ENOENT',
  5: 'EIO',
  7: 'E2BIG',
  13: 'EACCES',
  16: 'EBUSY',
  17: 'EEXIST',
  20: 'ENOTDIR',
  22: 'EINVAL',
  28: 'ENOSPC',
  36: 'ENAMETOOLONG',
  38: 'ENOSYS',
  40: 'ELOOP',
  95: 'EOPNOTSUPP',
};

/** A shim failure as a typed error naming the container: `runtime/syscall`. */
export function shimError(container: string, f: ShimFailure, hint?: string): BerthError {
  const errno = ERRNO_NAMES[f.errno] ?? (f.errno ? `errno ${f.errno}` : '');
  // the shim's refusals of a hostile mount target (a path through the image into /proc, /sys)
  if (f.syscall === 'mount-target') return new BerthError('runtime/unsafe-mount-target', `container ${container}: mount target ${f.path} ${f.message}`, { details: { ...f } });
  const what = f.syscall === 'execve' ? `cannot start ${JSON.stringify(f.path)}: ${f.message}` : `${f.syscall}${f.path ? ` ${f.path}` : ''}: ${f.message}`;
  const code = f.syscall !== 'execve' ? 'runtime/syscall' : f.errno === 2 || !f.errno ? 'runtime/exec-not-found' : 'runtime/exec-denied';
  return new BerthError(code, `container ${container}: ${what}${errno && f.syscall !== 'execve' ? ` (${errno})` : ''}`, {
    details: { ...f },
    hint,
  });
}

/** Splits a byte stream into lines. */
export function lineSplitter(onLine: (line: string) => void): (chunk: Buffer | string) => void {
  let rest = '';
  return (chunk) => {
    rest += chunk.toString();
    let i: number;
    while ((i = rest.indexOf('\n')) !== -1) {
      const line = rest.slice(0, i);
      rest = rest.slice(i + 1);
      if (line) onLine(line);
    }
  };
}
