// Docker's shell-word processing for the instructions it substitutes (FROM, COPY, ADD, ENV,
// ARG, LABEL, EXPOSE, USER, WORKDIR, VOLUME, STOPSIGNAL): `$VAR`, `${VAR}`, `${VAR:-x}`,
// `${VAR-x}`, `${VAR:+x}`, `${VAR+x}`, `${VAR:?msg}`; single quotes are literal, double
// quotes allow expansion, the escape character (`\` or `` ` ``) escapes. Quotes are removed.
// RUN/CMD/ENTRYPOINT are never substituted here: their shell does it.

export type Lookup = (name: string) => string | undefined;

export class SubstitutionError extends Error {}

class Scanner {
  pos = 0;
  readonly s: string;
  readonly esc: string;
  readonly env: Lookup;
  constructor(s: string, esc: string, env: Lookup) {
    this.s = s;
    this.esc = esc;
    this.env = env;
  }
  peek(): string | undefined {
    return this.s[this.pos];
  }
  next(): string | undefined {
    return this.s[this.pos++];
  }
}

/** Processes one word: expansion and quote removal. `stop` ends the word (used inside `${...}`). */
function word(sc: Scanner, stop?: string): string {
  let out = '';
  for (;;) {
    const ch = sc.peek();
    if (ch === undefined) return out;
    if (stop !== undefined && ch === stop) return out;
    sc.pos++;
    if (ch === sc.esc) {
      const n = sc.next();
      if (n !== undefined) out += n;
      continue;
    }
    if (ch === "'") {
      const end = sc.s.indexOf("'", sc.pos);
      if (end === -1) throw new SubstitutionError('unterminated single quote');
      out += sc.s.slice(sc.pos, end);
      sc.pos = end + 1;
      continue;
    }
    if (ch === '"') {
      for (;;) {
        const c = sc.next();
        if (c === undefined) throw new SubstitutionError('unterminated double quote');
        if (c === '"') break;
        if (c === sc.esc) {
          const n = sc.peek();
          if (n === '"' || n === '$' || n === sc.esc) {
            out += n;
            sc.pos++;
          } else out += c;
          continue;
        }
        if (c === '$') out += dollar(sc);
        else out += c;
      }
      continue;
    }
    if (ch === '$') {
      out += dollar(sc);
      continue;
    }
    out += ch;
  }
}

function dollar(sc: Scanner): string {
  const ch = sc.peek();
  if (ch === '{') {
    sc.pos++;
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sc.s.slice(sc.pos));
    if (!m) throw new SubstitutionError(`bad substitution at "\${${sc.s.slice(sc.pos, sc.pos + 10)}"`);
    const name = m[0];
    sc.pos += name.length;
    const value = sc.env(name);
    if (sc.peek() === '}') {
      sc.pos++;
      return value ?? '';
    }
    const op = /^(:?[-+?])/.exec(sc.s.slice(sc.pos))?.[1];
    if (!op) throw new SubstitutionError(`unsupported modifier in \${${name}${sc.s.slice(sc.pos, sc.pos + 3)}...}`);
    sc.pos += op.length;
    const arg = word(sc, '}');
    if (sc.next() !== '}') throw new SubstitutionError(`missing '}' in \${${name}${op}...`);
    const set = op.startsWith(':') ? value !== undefined && value !== '' : value !== undefined;
    switch (op.replace(':', '')) {
      case '-':
        return set ? value! : arg;
      case '+':
        return set ? arg : '';
      default:
        if (!set) throw new SubstitutionError(`${name}: ${arg || 'is not set'}`);
        return value!;
    }
  }
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sc.s.slice(sc.pos));
  if (!m) return '$';
  sc.pos += m[0].length;
  return sc.env(m[0]) ?? '';
}

/** Expands and unquotes one word (the whole text is one word, whitespace kept). */
export function processWord(text: string, env: Lookup, escape = '\\'): string {
  return word(new Scanner(text, escape, env));
}

/** Splits on unquoted whitespace first, then processes each word. */
export function splitWords(text: string, escape = '\\'): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let has = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      cur += ch;
      if (ch === escape && quote === '"' && i + 1 < text.length) cur += text[++i];
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (/\s/.test(ch)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
      continue;
    }
    has = true;
    cur += ch;
    if (ch === '$' && text[i + 1] === '{') {
      // `${VAR:-a b}` is one word
      let depth = 0;
      for (i++; i < text.length; i++) {
        cur += text[i];
        if (text[i] === '{') depth++;
        else if (text[i] === '}' && --depth === 0) break;
      }
      continue;
    }
    if (ch === escape && i + 1 < text.length) cur += text[++i];
    else if (ch === '"' || ch === "'") quote = ch;
  }
  if (quote) throw new SubstitutionError(`unterminated ${quote === '"' ? 'double' : 'single'} quote`);
  if (has) out.push(cur);
  return out;
}

export function processWords(text: string, env: Lookup, escape = '\\'): string[] {
  return splitWords(text, escape)
    .map((w) => ({ raw: w, v: processWord(w, env, escape) }))
    .filter((w) => w.v !== '' || /["']/.test(w.raw))
    .map((w) => w.v);
}

/**
 * `KEY=value KEY2="v 2"` (ENV, LABEL, ARG) or the legacy `KEY value with spaces`: pairs with
 * values expanded and unquoted. Every value sees the environment before the instruction.
 */
export function processPairs(text: string, env: Lookup, escape = '\\', legacy = true): [string, string][] {
  const words = splitWords(text, escape);
  if (words.length === 0) return [];
  if (!words[0]!.includes('=')) {
    if (!legacy) throw new SubstitutionError(`expected KEY=VALUE, got "${words[0]}"`);
    const key = processWord(words[0]!, env, escape);
    const rest = text
      .trim()
      .slice(text.trim().indexOf(words[0]!) + words[0]!.length)
      .trim();
    if (rest === '') throw new SubstitutionError(`${key}: missing value (use ${key}=VALUE)`);
    return [[key, processWord(rest, env, escape)]];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq <= 0) throw new SubstitutionError(`expected KEY=VALUE, got "${w}"`);
    return [processWord(w.slice(0, eq), env, escape), processWord(w.slice(eq + 1), env, escape)];
  });
}
