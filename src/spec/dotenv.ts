/**
 * `.env` / `env_file` parsing as compose-go's dotenv: `KEY=VALUE`, `export KEY=VALUE`,
 * `#` comments, single quotes (literal), double quotes (escapes, multi-line), unquoted
 * values trimmed with ` #` comments cut, `${VAR}` expansion (`lookup` first, as compose-go's
 * expandVariables: the shell or project environment wins; then the keys read so far, this
 * file's over `earlier` files'), and a bare `KEY` taking its value from `lookup` when set.
 */
import { substitute, TemplateError, type Lookup } from './template.js';

export class DotenvError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.line = line;
  }
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.\-[\]]*$/;

export function parseDotenv(text: string, lookup: Lookup = () => undefined, earlier: Readonly<Record<string, string>> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const vars: Lookup = (name) => lookup(name) ?? (name in out ? out[name] : earlier[name]);
  const src = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  let i = 0;
  let lineNo = 1;
  while (i < src.length) {
    const end = src.indexOf('\n', i);
    const lineEnd = end === -1 ? src.length : end;
    const raw = src.slice(i, lineEnd);
    const startLine = lineNo;
    let consumedTo = lineEnd;
    const line = raw.trim();
    if (line !== '' && !line.startsWith('#')) {
      const body = line.replace(/^export\s+/, '');
      const eq = body.search(/[=:]/);
      if (eq === -1) {
        const key = body.trim();
        if (!KEY.test(key)) throw new DotenvError(`unexpected character in variable name "${key}"`, startLine);
        const v = lookup(key);
        if (v !== undefined) out[key] = v;
      } else {
        const key = body.slice(0, eq).trim();
        if (!KEY.test(key)) throw new DotenvError(`unexpected character in variable name "${key}"`, startLine);
        let rest = body.slice(eq + 1).replace(/^[ \t]+/, '');
        const q = rest[0];
        if (q === '"' || q === "'") {
          // a quoted value may span lines: find the closing quote in the whole source
          const valueStart = i + raw.indexOf(rest);
          let j = valueStart + 1;
          let value = '';
          for (; j < src.length; j++) {
            const c = src[j]!;
            if (c === '\n') lineNo++;
            if (q === '"' && c === '\\' && j + 1 < src.length) {
              const n = src[++j]!;
              value += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n === '\\' ? '\\' : n === '"' ? '"' : n === '$' ? '\\$' : `\\${n}`;
              continue;
            }
            if (c === q) break;
            value += c;
          }
          if (j >= src.length) throw new DotenvError(`unterminated quoted value for ${key}`, startLine);
          out[key] = q === '"' ? expand(value.replace(/\\\$/g, '$$$$'), vars, startLine) : value;
          const nl = src.indexOf('\n', j);
          consumedTo = nl === -1 ? src.length : nl;
        } else {
          const hash = rest.search(/\s#/);
          if (hash !== -1) rest = rest.slice(0, hash);
          out[key] = expand(rest.trim(), vars, startLine);
        }
      }
    }
    i = consumedTo + 1;
    lineNo++;
  }
  return out;
}

function expand(value: string, lookup: Lookup, line: number): string {
  try {
    return substitute(value, lookup);
  } catch (err) {
    if (err instanceof TemplateError) throw new DotenvError(err.message, line);
    throw err;
  }
}

/**
 * `env_file` with `format: raw`: `docker run --env-file`'s rules (docker/cli opts/file.go),
 * which docker compose registers as the `raw` format. Lines are `KEY=VALUE` with the value
 * taken verbatim (no quotes, no expansion); blank lines and `#` comments are skipped; a bare
 * `KEY` takes its value from `lookup` when set. A key with whitespace is an error.
 */
export function parseRawEnv(text: string, lookup: Lookup = () => undefined): Record<string, string> {
  const out: Record<string, string> = {};
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((line, i) => {
      const trimmed = line.trimStart();
      if (trimmed === '' || trimmed.startsWith('#')) return;
      const eq = trimmed.indexOf('=');
      const key = eq === -1 ? trimmed.trimEnd() : trimmed.slice(0, eq);
      if (key === '') throw new DotenvError('no variable name on line', i + 1);
      if (/\s/.test(key)) throw new DotenvError(`variable '${key}' contains whitespaces`, i + 1);
      if (eq !== -1) out[key] = trimmed.slice(eq + 1);
      else {
        const v = lookup(key);
        if (v !== undefined) out[key] = v;
      }
    });
  return out;
}
