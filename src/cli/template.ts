import { UsageError } from '../errors.js';
import { table } from './table.js';

/** The fields a `--format` template may name, with their table headers. */
export type TemplateFields<T> = Readonly<Record<string, { readonly header: string; readonly value: (row: T) => string }>>;

/**
 * A Go-template-like `--format`: `{{.Field}}` (spaces allowed inside the braces), `\t` and
 * `\n` as docker's formatter reads them; a `table ` prefix adds a header row and aligns the
 * tab-separated columns. Unknown fields are a usage error, as with docker.
 */
export function renderWithFields<T>(format: string, fields: TemplateFields<T>, rows: readonly T[]): string {
  const isTable = /^table(\s|$)/.test(format);
  const body = (isTable ? format.slice('table'.length) : format).trim().replaceAll('\\t', '\t').replaceAll('\\n', '\n');
  const fill = (text: string, value: (field: string) => string): string =>
    text.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (_, f: string) => {
      if (!fields[f]) throw new UsageError(`invalid --format: unknown field .${f}`, { hint: `fields: ${Object.keys(fields).join(', ')}` });
      return value(f);
    });
  const stray = body.replace(/\{\{\s*\.\w+\s*\}\}/g, '');
  if (stray.includes('{{')) throw new UsageError(`invalid --format "${format}": only {{.Field}} placeholders are supported`);
  fill(body, () => ''); // unknown fields fail even when there are no rows
  if (!isTable) return rows.map((r) => `${fill(body, (f) => fields[f]!.value(r))}\n`).join('');
  const cells = body.split('\t');
  return table(
    cells.map((c) => fill(c, (f) => fields[f]!.header)),
    rows.map((r) => cells.map((c) => fill(c, (f) => fields[f]!.value(r)))),
  );
}

/** Checks `--format` is table, json or a template before anything runs; returns the template, if one. */
export function templateOf<T>(format: string, fields: TemplateFields<T>): string | undefined {
  const template = format !== 'table' && format !== 'json' ? format : undefined;
  if (template !== undefined && !template.includes('{{')) throw new UsageError(`invalid --format "${format}": expected table, json or a template such as "{{.Name}}"`);
  if (template !== undefined) renderWithFields(template, fields, []);
  return template;
}
