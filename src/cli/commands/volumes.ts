import type { Command } from '../command.js';
import type { VolumeSummary } from '../../api/index.js';
import { bool, engineFor, sourceOf, str, table } from './compose-shared.js';
import { renderWithFields, templateOf, type TemplateFields } from '../template.js';

const labelsText = (v: VolumeSummary): string =>
  Object.entries(v.labels)
    .map(([k, x]) => `${k}=${x}`)
    .sort()
    .join(',');

/** The fields of docker's volume formatter. */
const FIELDS: TemplateFields<VolumeSummary> = {
  Name: { header: 'VOLUME NAME', value: (v) => v.name },
  Driver: { header: 'DRIVER', value: (v) => v.driver },
  Scope: { header: 'SCOPE', value: (v) => v.scope },
  Mountpoint: { header: 'MOUNTPOINT', value: (v) => v.mountpoint },
  Labels: { header: 'LABELS', value: labelsText },
  CreatedAt: { header: 'CREATED AT', value: (v) => v.createdAt },
};

export const command: Command = {
  usage: 'berth volumes [OPTIONS] [SERVICE...]',
  summary: 'List volumes',
  flags: [
    { name: 'format', type: 'string', value: 'FORMAT', help: 'Format output: table (default), json, or a template like "table {{.Name}}\\t{{.Mountpoint}}"' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Only display volume names' },
  ],
  async run(ctx) {
    const format = str(ctx, 'format') ?? 'table';
    const template = templateOf(format, FIELDS);
    const rows = await (await engineFor(ctx)).volumes({ source: sourceOf(ctx), services: ctx.args, signal: ctx.signal });
    if (bool(ctx, 'quiet')) ctx.stdout.write(rows.map((r) => `${r.name}\n`).join(''));
    else if (template !== undefined) ctx.stdout.write(renderWithFields(template, FIELDS, rows));
    else if (format === 'json') {
      ctx.stdout.write(rows.map((r) => `${JSON.stringify({ Driver: r.driver, Labels: labelsText(r), Mountpoint: r.mountpoint, Name: r.name, Scope: r.scope, CreatedAt: r.createdAt })}\n`).join(''));
    } else
      ctx.stdout.write(
        table(
          ['DRIVER', 'VOLUME NAME'],
          rows.map((r) => [r.driver, r.name]),
        ),
      );
    return 0;
  },
};
