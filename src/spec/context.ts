/**
 * State shared by the loading stages of one `loadProject` call: the parsed files (for
 * error positions), warnings (each once), and injected inputs.
 */
import { SpecError, type ErrorCode } from '../errors.js';
import type { ParsedFile } from './yaml.js';
import type { SpecWarning } from './types.js';

export interface LoadContext {
  readonly home: string;
  readonly interpolate: boolean;
  readonly stdinText: string | undefined;
  readonly parsed: ParsedFile[];
  readonly warn: (w: SpecWarning) => void;
  readonly warnedVars: Set<string>;
  /** -p / COMPOSE_PROJECT_NAME given: a file's `name:` does not change COMPOSE_PROJECT_NAME. */
  readonly explicitName: boolean;
}

export function createContext(options: { home: string; interpolate: boolean; stdinText: string | undefined; onWarning: ((w: SpecWarning) => void) | undefined; explicitName: boolean }): LoadContext {
  const seen = new Set<string>();
  return {
    home: options.home,
    interpolate: options.interpolate,
    stdinText: options.stdinText,
    parsed: [],
    warnedVars: new Set(),
    explicitName: options.explicitName,
    warn: (w) => {
      const key = `${w.code}\0${w.message}`;
      if (seen.has(key)) return;
      seen.add(key);
      options.onWarning?.(w);
    },
  };
}

/** The position of `path` (or its nearest written ancestor), in `file` or the latest file. */
export function positionOf(ctx: LoadContext, path: string, file?: string): { file: string; line?: number; column?: number } | undefined {
  const candidates = file ? ctx.parsed.filter((p) => p.file === file) : [...ctx.parsed].reverse();
  let p = path;
  for (;;) {
    for (const parsed of candidates) {
      const pos = parsed.positions.get(p);
      if (pos) return { file: parsed.file, line: pos.line, column: pos.column };
    }
    if (p === '') break;
    p = parentPath(p);
  }
  const first = candidates[0];
  return first ? { file: first.file } : file ? { file } : undefined;
}

function parentPath(p: string): string {
  const m = /^(.*?)(?:\[\d+\]|\.[^.[\]]*)$/.exec(p);
  return m ? m[1]! : '';
}

export function specError(ctx: LoadContext, code: ErrorCode, message: string, path: string, options: { file?: string; at?: string; hint?: string; cause?: unknown } = {}): SpecError {
  const position = positionOf(ctx, options.at ?? path, options.file);
  return new SpecError(code, message, {
    ...(position ? { position } : {}),
    ...(path ? { path } : {}),
    ...(options.hint ? { hint: options.hint } : {}),
    ...(options.cause ? { cause: options.cause } : {}),
  });
}
