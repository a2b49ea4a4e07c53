// Dockerfile text -> raw instructions grouped into stages. Syntax only: parser directives
// (`# escape=`, `# syntax=`), comments, line continuations, heredocs (`<<EOF` in RUN/COPY/
// ADD), JSON vs shell form, `--flag=value` options. Variable substitution happens later, at
// execution (it depends on ARG/ENV values in effect). Errors: `Dockerfile:LINE: KEYWORD: msg`.
import { SpecError } from '../errors.js';

export type Keyword =
  | 'FROM'
  | 'RUN'
  | 'CMD'
  | 'LABEL'
  | 'MAINTAINER'
  | 'EXPOSE'
  | 'ENV'
  | 'ADD'
  | 'COPY'
  | 'ENTRYPOINT'
  | 'VOLUME'
  | 'USER'
  | 'WORKDIR'
  | 'ARG'
  | 'ONBUILD'
  | 'STOPSIGNAL'
  | 'HEALTHCHECK'
  | 'SHELL';

const KEYWORDS = new Set<string>([
  'FROM',
  'RUN',
  'CMD',
  'LABEL',
  'MAINTAINER',
  'EXPOSE',
  'ENV',
  'ADD',
  'COPY',
  'ENTRYPOINT',
  'VOLUME',
  'USER',
  'WORKDIR',
  'ARG',
  'ONBUILD',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'SHELL',
]);

/** Flags each instruction accepts (`--name=value`); others are refused. */
const FLAGS: Partial<Record<Keyword, readonly string[]>> = {
  FROM: ['platform'],
  RUN: ['network', 'mount', 'security'],
  COPY: ['from', 'chown', 'chmod', 'link', 'parents', 'exclude'],
  ADD: ['chown', 'chmod', 'link', 'keep-git-dir', 'checksum', 'exclude'],
  HEALTHCHECK: ['interval', 'timeout', 'start-period', 'start-interval', 'retries'],
};

export interface Heredoc {
  readonly name: string;
  readonly content: string;
  /** `<<-EOF`: leading tabs were stripped. */
  readonly stripTabs: boolean;
  /** `<<"EOF"` / `<<'EOF'`: no expansion inside. */
  readonly quoted: boolean;
}

export interface RawInstruction {
  readonly keyword: Keyword;
  /** Line of the keyword (1-based) and of the instruction's last line. */
  readonly line: number;
  readonly endLine: number;
  /** Arguments after the flags, continuation lines joined (heredoc bodies not included). */
  readonly args: string;
  /** The JSON array, when the arguments are in exec form. */
  readonly json: readonly string[] | undefined;
  /** `--name=value` options in order (a repeated name keeps every value). */
  readonly flags: readonly (readonly [string, string])[];
  readonly heredocs: readonly Heredoc[];
  /** The instruction as written (continuations joined), for history and cache keys. */
  readonly text: string;
}

export interface RawStage {
  readonly from: RawInstruction;
  /** Lower-cased `AS name`. */
  readonly name: string | undefined;
  readonly index: number;
  readonly instructions: readonly RawInstruction[];
}

export interface Dockerfile {
  readonly file: string;
  readonly escape: '\\' | '`';
  readonly syntax: string | undefined;
  /** ARG instructions before the first FROM (usable in FROM lines). */
  readonly globalArgs: readonly RawInstruction[];
  readonly stages: readonly RawStage[];
}

export function dockerfileError(file: string, line: number, keyword: string | undefined, message: string, hint?: string): SpecError {
  return new SpecError('build/dockerfile', message, { position: { file, line }, ...(keyword ? { path: keyword } : {}), ...(hint ? { hint } : {}) });
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.*?)\s*$/;
const HEREDOC = /<<(-?)\s*(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;
const NAME = /^[a-z][a-z0-9-_.]*$/;

/** Leading `--flag=value` words; returns the flags and the rest of the text. */
function splitFlags(file: string, line: number, kw: Keyword, text: string): { flags: [string, string][]; rest: string } {
  const flags: [string, string][] = [];
  let rest = text;
  for (;;) {
    const m = /^--([a-zA-Z][a-zA-Z0-9-]*)(?:=("(?:[^"\\]|\\.)*"|\S*))?(\s+|$)/.exec(rest);
    if (!m) break;
    const allowed = FLAGS[kw] ?? [];
    if (!allowed.includes(m[1]!)) throw dockerfileError(file, line, kw, `unknown flag: --${m[1]}`, allowed.length ? `${kw} accepts ${allowed.map((f) => `--${f}`).join(', ')}` : undefined);
    let v = m[2] ?? 'true';
    if (v.startsWith('"')) v = JSON.parse(v) as string;
    flags.push([m[1]!, v]);
    rest = rest.slice(m[0].length);
  }
  return { flags, rest };
}

function parseJson(text: string): string[] | undefined {
  const t = text.trim();
  if (!t.startsWith('[')) return undefined;
  try {
    const v = JSON.parse(t) as unknown;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
  } catch {
    // not JSON: shell form (Docker does the same)
  }
  return undefined;
}

export function parseDockerfile(text: string, file = 'Dockerfile'): Dockerfile {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let escape: '\\' | '`' = '\\';
  let syntax: string | undefined;
  let i = 0;
  // parser directives: only at the very top, before any other line
  for (; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i]!);
    if (!m) break;
    const key = m[1]!.toLowerCase();
    if (key === 'escape') {
      if (m[2] !== '\\' && m[2] !== '`') throw dockerfileError(file, i + 1, undefined, `invalid escape token '${m[2]}': must be \` or \\`);
      escape = m[2];
    } else if (key === 'syntax') syntax = m[2];
    else if (key !== 'check') break; // an ordinary comment ends the directives
  }
  const out: RawInstruction[] = [];
  while (i < lines.length) {
    const startLine = i + 1;
    const first = lines[i]!;
    i++;
    const trimmed = first.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    // join continuation lines (comment and empty lines inside a continuation are skipped)
    let joined = '';
    let cur = first.replace(/^\s+/, '');
    let end = startLine;
    for (;;) {
      const t = cur.replace(/\s+$/, '');
      if (t.endsWith(escape)) {
        joined += t.slice(0, -1);
        while (i < lines.length && (lines[i]!.trim() === '' || lines[i]!.trim().startsWith('#'))) i++;
        if (i >= lines.length) break;
        cur = lines[i]!;
        end = i + 1;
        i++;
        continue;
      }
      joined += cur;
      break;
    }
    const m = /^(\S+)\s*([\s\S]*)$/.exec(joined.trim());
    const word = m?.[1] ?? '';
    const kw = word.toUpperCase();
    if (!KEYWORDS.has(kw))
      throw dockerfileError(file, startLine, undefined, `unknown instruction: ${word}`, 'check the spelling; instructions are FROM, RUN, COPY, ADD, ENV, ARG, WORKDIR, USER, CMD, ENTRYPOINT, ...');
    const keyword = kw as Keyword;
    const { flags, rest } = splitFlags(file, startLine, keyword, (m?.[2] ?? '').trim());
    const heredocs: Heredoc[] = [];
    if (keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD') {
      for (const h of rest.matchAll(HEREDOC)) {
        const stripTabs = h[1] === '-';
        const body: string[] = [];
        let closed = false;
        while (i < lines.length) {
          const l = lines[i]!;
          i++;
          end = i;
          if ((stripTabs ? l.replace(/^\t+/, '') : l) === h[3]) {
            closed = true;
            break;
          }
          body.push(stripTabs ? l.replace(/^\t+/, '') : l);
        }
        if (!closed) throw dockerfileError(file, startLine, keyword, `heredoc <<${h[3]} is not terminated (no line "${h[3]}")`);
        heredocs.push({ name: h[3]!, content: body.length ? `${body.join('\n')}\n` : '', stripTabs, quoted: h[2] !== '' });
      }
    }
    const json = heredocs.length ? undefined : parseJson(rest);
    const inst: RawInstruction = { keyword, line: startLine, endLine: end, args: rest, json, flags, heredocs, text: joined.trim() };
    checkArity(file, inst);
    out.push(inst);
  }
  return splitStages(file, escape, syntax, out);
}

function checkArity(file: string, inst: RawInstruction): void {
  const { keyword: kw, args, json } = inst;
  const empty = args.trim() === '' && inst.heredocs.length === 0;
  const need = (cond: boolean, msg: string): void => {
    if (!cond) throw dockerfileError(file, inst.line, kw, msg);
  };
  switch (kw) {
    case 'FROM':
      need(!empty, 'FROM requires an image (or scratch)');
      break;
    case 'COPY':
    case 'ADD':
      need((json ? json.length : args.trim().split(/\s+/).length) + inst.heredocs.length >= 2 || (inst.heredocs.length > 0 && !empty), `${kw} requires at least two arguments: source and destination`);
      break;
    case 'SHELL':
      need(json !== undefined && json.length > 0, 'SHELL requires the arguments to be in JSON form, e.g. SHELL ["/bin/sh", "-c"]');
      break;
    default:
      need(!empty, `${kw} requires at least one argument`);
  }
}

function splitStages(file: string, escape: '\\' | '`', syntax: string | undefined, all: readonly RawInstruction[]): Dockerfile {
  const globalArgs: RawInstruction[] = [];
  const stages: { from: RawInstruction; name: string | undefined; index: number; instructions: RawInstruction[] }[] = [];
  const names = new Set<string>();
  for (const inst of all) {
    if (inst.keyword === 'FROM') {
      const words = inst.args.trim().split(/\s+/);
      let name: string | undefined;
      if (words.length === 3 && words[1]!.toLowerCase() === 'as') name = words[2]!.toLowerCase();
      else if (words.length !== 1) throw dockerfileError(file, inst.line, 'FROM', 'expected "FROM [--platform=P] IMAGE [AS NAME]"');
      if (name !== undefined) {
        if (!NAME.test(name)) throw dockerfileError(file, inst.line, 'FROM', `invalid stage name "${name}": must start with a letter and contain only letters, digits, '-', '_' and '.'`);
        if (names.has(name)) throw dockerfileError(file, inst.line, 'FROM', `duplicate stage name "${name}"`);
        names.add(name);
      }
      stages.push({ from: inst, name, index: stages.length, instructions: [] });
      continue;
    }
    const stage = stages[stages.length - 1];
    if (!stage) {
      if (inst.keyword !== 'ARG') throw dockerfileError(file, inst.line, inst.keyword, 'no FROM before this instruction: only ARG may come before the first FROM');
      globalArgs.push(inst);
      continue;
    }
    stage.instructions.push(inst);
  }
  if (stages.length === 0) throw dockerfileError(file, all[all.length - 1]?.line ?? 1, undefined, 'the Dockerfile has no FROM instruction');
  return { file, escape, syntax, globalArgs, stages };
}
