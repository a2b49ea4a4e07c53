/**
 * A small YAML emitter with Go yaml.v3's look (what `docker compose config` prints):
 * 2-space indent, `- ` items indented under their key, strings quoted only when they would
 * read back as something else, multi-line strings as `|` blocks.
 */

const OLD_BOOLS = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|true|True|TRUE|false|False|FALSE)$/;
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const NULLS = /^(~|null|Null|NULL)$/;
const NUMBER = /^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$|^[-+]?0[xob][0-9a-fA-F_]+$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$/;

function needsQuotes(s: string): boolean {
  if (s === '') return true;
  if (OLD_BOOLS.test(s) || NULLS.test(s) || NUMBER.test(s) || BASE60.test(s)) return true;
  if (/^[\s]|[\s]$/.test(s)) return true;
  if (/^[!&*{}[\],#|>'"%@`]/.test(s)) return true;
  if (/^[-?:](\s|$)/.test(s)) return true;
  if (s.includes(': ') || s.includes(' #') || s.endsWith(':')) return true;
  if (/[\x00-\x08\x0b-\x1f\x7f\t]/.test(s)) return true;
  if (s === '<<' || s === '=') return true;
  return false;
}

function quote(s: string): string {
  return JSON.stringify(s);
}

export function scalarText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '.nan';
    if (v === Infinity) return '.inf';
    if (v === -Infinity) return '-.inf';
    return String(v);
  }
  const s = String(v);
  return needsQuotes(s) ? quote(s) : s;
}

function isMultiline(s: unknown): s is string {
  return typeof s === 'string' && s.includes('\n') && !/[\x00-\x08\x0b-\x1f\x7f]/.test(s) && !/ \n|\n /.test(s.replace(/\n+$/, '')) && !/^\s/.test(s);
}

function block(s: string, indent: string): string {
  const chomp = s.endsWith('\n') ? (s.endsWith('\n\n') ? '+' : '') : '-';
  const body = s.endsWith('\n') ? s.slice(0, -1) : s;
  const lines = body.split('\n').map((l) => (l === '' ? '' : `${indent}${l}`));
  return `|${chomp}\n${lines.join('\n')}`;
}

function isEmptyContainer(v: unknown): string | undefined {
  if (Array.isArray(v) && v.length === 0) return '[]';
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0) return '{}';
  return undefined;
}

function emit(v: unknown, indent: string, out: string[]): void {
  if (Array.isArray(v)) {
    for (const item of v) {
      const empty = isEmptyContainer(item);
      if (empty) out.push(`${indent}- ${empty}`);
      else if (typeof item === 'object' && item !== null) {
        const sub: string[] = [];
        emit(item, `${indent}  `, sub);
        out.push(`${indent}- ${sub[0]!.slice(indent.length + 2)}`, ...sub.slice(1));
      } else if (isMultiline(item)) out.push(`${indent}- ${block(item, `${indent}  `)}`);
      else out.push(`${indent}- ${scalarText(item)}`);
    }
    return;
  }
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x === undefined) continue;
    const key = scalarText(k);
    const empty = isEmptyContainer(x);
    if (empty) out.push(`${indent}${key}: ${empty}`);
    else if (Array.isArray(x)) {
      out.push(`${indent}${key}:`);
      emit(x, `${indent}  `, out);
    } else if (typeof x === 'object' && x !== null) {
      out.push(`${indent}${key}:`);
      emit(x, `${indent}  `, out);
    } else if (isMultiline(x)) out.push(`${indent}${key}: ${block(x, `${indent}  `)}`);
    else out.push(`${indent}${key}: ${scalarText(x)}`);
  }
}

export function emitYaml(data: Record<string, unknown>): string {
  const out: string[] = [];
  emit(data, '', out);
  return `${out.join('\n')}\n`;
}
