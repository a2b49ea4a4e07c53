/**
 * Stage "parse": YAML text -> plain data + a position for every tree path.
 *
 * js-yaml's event stream (with source offsets) is composed here into plain values, so
 * that each value keeps its line/column (for errors), anchors/aliases and `<<` merge keys
 * work, and compose's `!reset` / `!override` tags are recorded by path.
 * Scalars resolve as YAML 1.2 core (as Go's yaml.v3 does: `yes` stays a string).
 */
import { parseEvents, getScalarValue, EVENT_ID, SCALAR_STYLE, YAMLException } from 'js-yaml';
import { SpecError } from '../errors.js';
import { joinPath } from './path.js';

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface ParsedFile {
  readonly file: string;
  /** The document (an object for a compose file; null when empty). */
  readonly value: unknown;
  /** `services.web.ports[0]` -> where it was written (line/column computed on demand). */
  readonly positions: PositionIndex;
  /** Paths tagged `!reset` (remove) and `!override` (replace instead of merging). */
  readonly resets: Set<string>;
  readonly overrides: Set<string>;
}

type Ev = ReturnType<typeof parseEvents>[number];

/** Source offsets by path; line/column are computed only when an error needs them. */
export class PositionIndex {
  readonly offsets = new Map<string, number>();
  private lines: number[] | undefined;
  private readonly source: string;
  constructor(source: string) {
    this.source = source;
  }
  has(path: string): boolean {
    return this.offsets.has(path);
  }
  get(path: string): Position | undefined {
    const offset = this.offsets.get(path);
    return offset === undefined ? undefined : this.at(offset);
  }
  at(offset: number): Position {
    const lines = (this.lines ??= lineStarts(this.source));
    let lo = 0;
    let hi = lines.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lines[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lines[lo]! + 1 };
  }
}

interface MapNode {
  kind: 'map';
  at: number;
  tag: string;
  entries: { key: Node; value: Node }[];
}
interface SeqNode {
  kind: 'seq';
  at: number;
  tag: string;
  items: Node[];
}
interface ScalarNode {
  kind: 'scalar';
  at: number;
  tag: string;
  text: string;
  plain: boolean;
}
type Node = MapNode | SeqNode | ScalarNode;

const MAX_NODES = 1_000_000;

export function parseYaml(source: string, file: string): ParsedFile {
  let events: Ev[];
  try {
    events = parseEvents(source, { filename: file });
  } catch (err) {
    throw yamlError(err, file);
  }
  const positions = new PositionIndex(source);
  const offsets = positions.offsets;
  const pos = (offset: number): Position => positions.at(offset);
  const fail = (offset: number, message: string): never => {
    const p = pos(offset);
    throw new SpecError('spec/yaml', message, { position: { file, line: p.line, column: p.column } });
  };

  // compose the event stream into nodes (first document only, as compose does)
  const anchors = new Map<string, Node>();
  let i = 0;
  const slice = (a: number, b: number): string => (a < 0 ? '' : source.slice(a, b));
  const compose = (): Node => {
    const ev = events[i++]!;
    switch (ev.type) {
      case EVENT_ID.SCALAR: {
        const node: ScalarNode = {
          kind: 'scalar',
          at: ev.valueStart,
          tag: slice(ev.tagStart, ev.tagEnd),
          text: getScalarValue(source, ev),
          plain: ev.style === SCALAR_STYLE.PLAIN,
        };
        if (ev.anchorStart >= 0) anchors.set(slice(ev.anchorStart, ev.anchorEnd), node);
        return node;
      }
      case EVENT_ID.ALIAS: {
        const name = slice(ev.anchorStart, ev.anchorEnd);
        const target = anchors.get(name);
        if (!target) return fail(ev.anchorStart, `unknown anchor "${name}" referenced`);
        return target;
      }
      case EVENT_ID.SEQUENCE: {
        const node: SeqNode = { kind: 'seq', at: ev.start, tag: slice(ev.tagStart, ev.tagEnd), items: [] };
        if (ev.anchorStart >= 0) anchors.set(slice(ev.anchorStart, ev.anchorEnd), node);
        while (events[i]!.type !== EVENT_ID.POP) node.items.push(compose());
        i++;
        return node;
      }
      case EVENT_ID.MAPPING: {
        const node: MapNode = { kind: 'map', at: ev.start, tag: slice(ev.tagStart, ev.tagEnd), entries: [] };
        if (ev.anchorStart >= 0) anchors.set(slice(ev.anchorStart, ev.anchorEnd), node);
        while (events[i]!.type !== EVENT_ID.POP) {
          const key = compose();
          const value = compose();
          node.entries.push({ key, value });
        }
        i++;
        return node;
      }
      default:
        return fail(0, 'unexpected YAML structure');
    }
  };

  let root: Node | undefined;
  if (events[0]?.type === EVENT_ID.DOCUMENT && events[1] && events[1].type !== EVENT_ID.POP) {
    i = 1;
    root = compose();
  }

  const resets = new Set<string>();
  const overrides = new Set<string>();
  let count = 0;

  const toValue = (node: Node, path: string, depth: number): unknown => {
    if (++count > MAX_NODES || depth > 200) fail(node.at, 'document too large (alias expansion)');
    if (!offsets.has(path)) offsets.set(path, node.at);
    if (node.tag === '!reset') resets.add(path);
    else if (node.tag === '!override') overrides.add(path);
    if (node.kind === 'scalar') return scalarValue(node);
    if (node.kind === 'seq') return node.items.map((item, n) => toValue(item, `${path}[${n}]`, depth + 1));
    const out: Record<string, unknown> = {};
    const explicit = new Set<string>();
    const merges: Node[] = [];
    for (const { key, value } of node.entries) {
      if (key.kind !== 'scalar') fail(key.at, 'mapping keys must be scalars');
      const k = key.kind === 'scalar' ? keyText(key) : '';
      if (k === '<<' && key.kind === 'scalar' && key.plain) {
        merges.push(value);
        continue;
      }
      if (explicit.has(k)) {
        const first = positions.get(joinPath(path, k));
        fail(key.at, `mapping key "${k}" already defined${first ? ` at line ${first.line}` : ''}`);
      }
      explicit.add(k);
      const childPath = joinPath(path, k);
      offsets.set(childPath, key.at);
      out[k] = toValue(value, childPath, depth + 1);
    }
    // `<<: *base` / `<<: [*a, *b]`: explicit keys win, earlier sources win over later ones
    for (const src of merges.flatMap((m) => (m.kind === 'seq' ? m.items : [m]))) {
      if (src.kind !== 'map') fail(src.at, 'merge key "<<" expects a mapping or a list of mappings');
      const merged = toValue(src, path, depth + 1) as Record<string, unknown>;
      for (const [k, v] of Object.entries(merged)) if (!(k in out)) out[k] = v;
    }
    return out;
  };

  const value = root ? toValue(root, '', 0) : null;
  return { file, value, positions, resets, overrides };
}

function keyText(node: ScalarNode): string {
  const v = scalarValue(node);
  return v === null ? 'null' : String(v);
}

const INT = /^[-+]?(?:0b[01_]+|0o[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?$/;

/** YAML 1.2 core resolution of a scalar (Go yaml.v3 compatible for the common cases). */
function scalarValue(node: ScalarNode): unknown {
  const t = node.text;
  if (node.tag === '!!str' || node.tag === 'tag:yaml.org,2002:str') return t;
  if (!node.plain) {
    if (node.tag === '!!int' || node.tag === '!!float') return Number(t);
    return t;
  }
  switch (t) {
    case '':
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
    case '.inf':
    case '.Inf':
    case '.INF':
    case '+.inf':
      return Infinity;
    case '-.inf':
    case '-.Inf':
    case '-.INF':
      return -Infinity;
    case '.nan':
    case '.NaN':
    case '.NAN':
      return NaN;
  }
  if (INT.test(t)) {
    const clean = t.replace(/_/g, '');
    const neg = clean.startsWith('-');
    const body = clean.replace(/^[-+]/, '');
    let n: number;
    if (/^0[bB]/.test(body)) n = parseInt(body.slice(2), 2);
    else if (/^0[oO]/.test(body)) n = parseInt(body.slice(2), 8);
    else if (/^0[xX]/.test(body)) n = parseInt(body.slice(2), 16);
    else if (/^0[0-7]+$/.test(body)) n = parseInt(body.slice(1), 8);
    else n = parseInt(body, 10);
    if (Number.isSafeInteger(n)) return neg ? -n : n;
    return t;
  }
  if (FLOAT.test(t) && /[0-9]/.test(t)) return Number(t.replace(/_/g, ''));
  return t;
}

function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function yamlError(err: unknown, file: string): SpecError {
  if (err instanceof YAMLException) {
    const mark = err.mark;
    return new SpecError('spec/yaml', `invalid YAML: ${err.reason}`, {
      position: { file, ...(mark ? { line: mark.line + 1, column: mark.column + 1 } : {}) },
      cause: err,
    });
  }
  return new SpecError('spec/yaml', `invalid YAML: ${err instanceof Error ? err.message : String(err)}`, {
    position: { file },
    cause: err,
  });
}
