import { UsageError } from '../errors.js';
import { compareText } from '../util/compare.js';

/** A command-line flag in docker's style: `--name value`, `--name=value`, `-s value`, `-abc`. */
export interface FlagSpec {
  readonly name: string;
  readonly short?: string;
  readonly type: 'bool' | 'string' | 'list' | 'int';
  readonly help: string;
  /** Placeholder in help output, e.g. `FILE`. */
  readonly value?: string;
}

export type FlagValues = Record<string, boolean | string | number | string[] | undefined>;

export interface ParsedArgs {
  readonly flags: FlagValues;
  readonly positionals: string[];
}

export interface ParseOptions {
  /** Stop at the first positional (global flags before a subcommand, `run IMAGE CMD...`). */
  readonly stopAtPositional?: boolean;
  /** What to call the command in error messages. */
  readonly commandName: string;
}

/** Parses argv against a flag table; unknown flags are a UsageError (exit code 2). */
export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[], options: ParseOptions): ParsedArgs {
  const byLong = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const flags: FlagValues = {};
  const positionals: string[] = [];

  const set = (spec: FlagSpec, raw: string | undefined, shown: string): void => {
    switch (spec.type) {
      case 'bool':
        flags[spec.name] = raw === undefined ? true : parseBool(raw, shown, options.commandName);
        return;
      case 'string':
        flags[spec.name] = raw;
        return;
      case 'int': {
        const n = Number(raw);
        if (raw === undefined || raw.trim() === '' || !Number.isInteger(n)) {
          throw new UsageError(`${options.commandName}: invalid value "${raw}" for flag ${shown}: expected an integer`);
        }
        flags[spec.name] = n;
        return;
      }
      case 'list': {
        const prev = flags[spec.name];
        flags[spec.name] = [...(Array.isArray(prev) ? prev : []), raw ?? ''];
        return;
      }
    }
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      const spec = byLong.get(name);
      if (!spec) throw new UsageError(`${options.commandName}: unknown flag: --${name}`, { hint: `see '${options.commandName} --help'` });
      if (eq !== -1) set(spec, arg.slice(eq + 1), `--${name}`);
      else if (spec.type === 'bool') set(spec, undefined, `--${name}`);
      else {
        if (i + 1 >= argv.length) throw new UsageError(`${options.commandName}: flag needs an argument: --${name}`);
        set(spec, argv[++i], `--${name}`);
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      // -abc: a run of short bools, the last may take a value (also -fvalue)
      for (let j = 1; j < arg.length; j++) {
        const ch = arg[j]!;
        const spec = byShort.get(ch);
        if (!spec) throw new UsageError(`${options.commandName}: unknown shorthand flag: '${ch}' in ${arg}`, { hint: `see '${options.commandName} --help'` });
        if (spec.type === 'bool') {
          set(spec, undefined, `-${ch}`);
          continue;
        }
        const rest = arg.slice(j + 1);
        if (rest !== '') set(spec, rest.startsWith('=') ? rest.slice(1) : rest, `-${ch}`);
        else {
          if (i + 1 >= argv.length) throw new UsageError(`${options.commandName}: flag needs an argument: '${ch}' in -${ch}`);
          set(spec, argv[++i], `-${ch}`);
        }
        break;
      }
      continue;
    }
    positionals.push(arg);
    if (options.stopAtPositional) {
      positionals.push(...argv.slice(i + 1));
      break;
    }
  }
  return { flags, positionals };
}

function parseBool(raw: string, shown: string, command: string): boolean {
  if (/^(1|t|true|T|TRUE|True)$/.test(raw)) return true;
  if (/^(0|f|false|F|FALSE|False)$/.test(raw)) return false;
  throw new UsageError(`${command}: invalid value "${raw}" for flag ${shown}: expected a boolean`);
}

/** Renders a flag table for `--help`. */
export function formatFlags(specs: readonly FlagSpec[]): string {
  const rows = [...specs]
    .sort((a, b) => compareText(a.name, b.name))
    .map((s) => {
      const left = `${s.short ? `-${s.short}, ` : '    '}--${s.name}${s.type === 'bool' ? '' : ` ${s.value ?? (s.type === 'int' ? 'int' : 'string')}`}`;
      return [left, s.help] as const;
    });
  const width = Math.max(0, ...rows.map(([l]) => l.length));
  return rows.map(([l, h]) => `  ${l.padEnd(width)}   ${h}`).join('\n');
}
