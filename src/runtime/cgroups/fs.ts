import { BerthError, errnoCode } from '../../errors.js';
const { mkdirSync, readFileSync, writeFileSync } = process.getBuiltinModule('node:fs');

export function cgWrite(path: string, value: string | number): void {
  try {
    writeFileSync(path, String(value));
  } catch (err) {
    throw new BerthError('runtime/cgroup', `cannot write ${JSON.stringify(String(value))} to ${path}: ${errnoCode(err) ?? String(err)}`, { cause: err });
  }
}

export function cgRead(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function cgMkdir(path: string): void {
  try {
    mkdirSync(path);
  } catch (err) {
    if (errnoCode(err) !== 'EEXIST') throw new BerthError('runtime/cgroup', `cannot create cgroup ${path}: ${errnoCode(err)}`, { cause: err });
  }
}

/** "key value" lines -> number. */
export function cgKey(text: string | undefined, key: string): number | undefined {
  for (const line of (text ?? '').split('\n')) {
    const [k, v] = line.split(' ');
    if (k === key && v !== undefined) return Number(v);
  }
  return undefined;
}
