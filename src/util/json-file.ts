// berth's one way to keep state in a JSON file (runtime, network, engine, image, build).
//  - Write: the whole value to a temp file beside the target (`<file>.<pid>.tmp`, so that
//    two processes never share one), then rename over the target: a reader sees the old or
//    the new file, never half of one; a writer that dies leaves at most its temp file.
//  - fsync: none. The state describes kernel objects that a reboot takes away (containers,
//    namespaces, bridges) or content that is checked by digest when used (images); a crash
//    of a berth process cannot tear a file, and a file that a power loss left empty or torn
//    is reported by name (below), never taken for something else.
//  - Read: absent -> undefined; unreadable JSON or the wrong shape -> a BerthError with the
//    caller's code that names the file. The wording lives here only.
import { BerthError, errnoCode, type ErrorCode } from '../errors.js';
const { readFileSync, renameSync, rmSync, writeFileSync } = process.getBuiltinModule('node:fs');
// node:fs/promises only in the async functions, when first called: loading it takes 1-3 ms
// (it brings readline, fs watchers and more), which no caller of the sync ones should pay
// (`berth container run` is one: CLI start is part of container start latency)
const fsp = (): typeof import('node:fs/promises') => process.getBuiltinModule('node:fs/promises');

/** Checks a parsed value's shape; the type it proves is what the caller gets. */
export type Shape<T> = (value: unknown) => value is T;

export interface JsonWriteOptions {
  /** File mode of a new file (0600 where it holds a service's environment or credentials). */
  readonly mode?: number;
  /** Pretty-printing indent; none by default. */
  readonly indent?: number;
}

const text = (value: unknown, indent: number | undefined): string => (indent ? `${JSON.stringify(value, null, indent)}\n` : JSON.stringify(value));
const tmpOf = (path: string): string => `${path}.${process.pid}.tmp`;

export function writeJsonFile(path: string, value: unknown, options: JsonWriteOptions = {}): void {
  const tmp = tmpOf(path);
  try {
    writeFileSync(tmp, text(value, options.indent), options.mode === undefined ? {} : { mode: options.mode });
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export async function writeJsonFileAsync(path: string, value: unknown, options: JsonWriteOptions = {}): Promise<void> {
  const { rename, rm, writeFile } = fsp();
  const tmp = tmpOf(path);
  try {
    await writeFile(tmp, text(value, options.indent), options.mode === undefined ? {} : { mode: options.mode });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** The file's value, or undefined when there is no file; `code` for a corrupt one. */
export function readJsonFile<T>(path: string, shape: Shape<T>, code: ErrorCode): T | undefined {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
  return parsed(path, raw, shape, code);
}

export async function readJsonFileAsync<T>(path: string, shape: Shape<T>, code: ErrorCode): Promise<T | undefined> {
  let raw: string;
  try {
    raw = await fsp().readFile(path, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
  return parsed(path, raw, shape, code);
}

function parsed<T>(path: string, raw: string, shape: Shape<T>, code: ErrorCode): T {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new BerthError(code, `state file ${path} is corrupt: not valid JSON`, { cause: err });
  }
  if (!shape(value)) throw new BerthError(code, `state file ${path} is corrupt: not the record berth writes there`);
  return value;
}

/** Shape helpers. */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** An object whose listed fields have the listed `typeof`s (an optional field may be absent). */
export function hasFields(v: unknown, fields: Readonly<Record<string, 'string' | 'number' | 'boolean' | 'object' | 'string?' | 'number?' | 'boolean?' | 'object?'>>): v is Record<string, unknown> {
  if (!isObject(v)) return false;
  for (const [k, t] of Object.entries(fields)) {
    const optional = t.endsWith('?');
    const want = optional ? t.slice(0, -1) : t;
    if (v[k] === undefined ? !optional : typeof v[k] !== want || v[k] === null) return false;
  }
  return true;
}
