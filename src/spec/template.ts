/**
 * Compose variable substitution in one string: `$VAR`, `${VAR}`, `${VAR:-d}`, `${VAR-d}`,
 * `${VAR:?err}`, `${VAR?err}`, `${VAR:+alt}`, `${VAR+alt}`, nested defaults, `$$`.
 * The lookup is injected (compose-go's template package is the model).
 */

export type Lookup = (name: string) => string | undefined;

export class TemplateError extends Error {
  readonly kind: 'invalid' | 'required';
  constructor(kind: 'invalid' | 'required', message: string) {
    super(message);
    this.kind = kind;
  }
}

const NAME_START = /[_a-zA-Z]/;
const NAME_CHAR = /[_a-zA-Z0-9]/;

/**
 * Substitutes variables in `text`. `onUnset` is called for each variable that is not set
 * and has no default (it then becomes ''). Throws TemplateError.
 */
export function substitute(text: string, lookup: Lookup, onUnset?: (name: string) => void): string {
  if (!text.includes('$')) return text;
  return new Parser(text, lookup, onUnset).run();
}

class Parser {
  private i = 0;
  private readonly s: string;
  private readonly lookup: Lookup;
  private onUnset: ((name: string) => void) | undefined;

  constructor(s: string, lookup: Lookup, onUnset: ((name: string) => void) | undefined) {
    this.s = s;
    this.lookup = lookup;
    this.onUnset = onUnset;
  }

  run(): string {
    const out = this.until(undefined);
    return out;
  }

  /** Reads text until `stop` (a `}` closing the current braced expression) or the end. */
  private until(stop: '}' | undefined): string {
    let out = '';
    const s = this.s;
    while (this.i < s.length) {
      const ch = s[this.i]!;
      if (stop && ch === stop) return out;
      if (ch !== '$') {
        out += ch;
        this.i++;
        continue;
      }
      const next = s[this.i + 1];
      if (next === '$') {
        out += '$';
        this.i += 2;
      } else if (next === '{') {
        this.i += 2;
        out += this.braced();
      } else if (next !== undefined && NAME_START.test(next)) {
        let j = this.i + 1;
        while (j < s.length && NAME_CHAR.test(s[j]!)) j++;
        const name = s.slice(this.i + 1, j);
        this.i = j;
        out += this.value(name);
      } else {
        // `$(`, `$5`, a lone `$`: not a substitution, kept as written (compose-go's pattern
        // only matches `$$`, `$NAME` and `${...}`; docker compose's own fixtures have
        // `RUN echo $(date)` in dockerfile_inline)
        out += '$';
        this.i++;
      }
    }
    if (stop) throw new TemplateError('invalid', `invalid interpolation format: "${s}"`);
    return out;
  }

  private braced(): string {
    const s = this.s;
    let j = this.i;
    if (j >= s.length || !NAME_START.test(s[j]!)) throw new TemplateError('invalid', `invalid interpolation format: "${s}"`);
    while (j < s.length && NAME_CHAR.test(s[j]!)) j++;
    const name = s.slice(this.i, j);
    this.i = j;
    const rest = s.slice(j);
    if (rest.startsWith('}')) {
      this.i++;
      return this.value(name);
    }
    const op = /^(:-|-|:\?|\?|:\+|\+)/.exec(rest)?.[1];
    if (!op) throw new TemplateError('invalid', `invalid interpolation format: "${s}"`);
    this.i += op.length;
    // the operand may itself contain substitutions; it is evaluated lazily in compose-go
    // but evaluating it eagerly only differs by unset warnings, so track them
    const value = this.lookup(name);
    const set = value !== undefined;
    const nonEmpty = set && value !== '';
    const useOperand = op === ':-' ? !nonEmpty : op === '-' ? !set : op === ':+' ? nonEmpty : op === '+' ? set : false;
    const operand = this.untilQuiet(!useOperand && !op.includes('?'));
    this.i++; // '}'
    switch (op) {
      case ':-':
      case '-':
        return useOperand ? operand : value!;
      case ':+':
      case '+':
        return useOperand ? operand : '';
      default: {
        const missing = op === ':?' ? !nonEmpty : !set;
        if (missing) throw new TemplateError('required', `required variable ${name} is missing a value${operand ? `: ${operand}` : ''}`);
        return value!;
      }
    }
  }

  /** Parses an operand; when `quiet`, unset-variable warnings inside it are suppressed. */
  private untilQuiet(quiet: boolean): string {
    if (!quiet) return this.until('}');
    const saved = this.onUnset;
    this.onUnset = undefined;
    try {
      return this.until('}');
    } finally {
      this.onUnset = saved;
    }
  }

  private value(name: string): string {
    const v = this.lookup(name);
    if (v === undefined) {
      this.onUnset?.(name);
      return '';
    }
    return v;
  }
}
