import type { Command } from '../command.js';
import type { ContainerSummary } from '../../api/index.js';
import { UsageError } from '../../errors.js';
import { bool, engineFor, list, sourceOf, str, table } from './compose-shared.js';
import { renderWithFields, templateOf, type TemplateFields } from '../template.js';

export function ago(ms: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s} second${s === 1 ? '' : 's'} ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} minute${m === 1 ? '' : 's'} ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} hour${h === 1 ? '' : 's'} ago`;
  return `${Math.round(h / 24)} days ago`;
}

function dur(ms: number): string {
  return ago(Date.now() - ms).replace(' ago', '');
}

export function statusText(c: ContainerSummary, now = Date.now()): string {
  switch (c.state) {
    case 'running':
      return `Up ${dur(now - (c.startedAt ?? now))}${c.health ? ` (${c.health})` : ''}`;
    case 'paused':
      return `Up ${dur(now - (c.startedAt ?? now))} (Paused)`;
    case 'restarting':
      return `Restarting (${c.exitCode ?? 0})`;
    case 'exited':
      return `Exited (${c.exitCode ?? 0})`;
    default:
      return c.state.charAt(0).toUpperCase() + c.state.slice(1);
  }
}

export function portsText(c: ContainerSummary): string {
  return c.ports.map((p) => `${p.hostIp || '0.0.0.0'}:${p.hostPort}->${p.containerPort}/${p.protocol}`).join(', ');
}

/** The fields a `--format` template may name, as docker compose ps offers them, with their table headers. */
const FIELDS: TemplateFields<ContainerSummary> = {
  ID: { header: 'CONTAINER ID', value: (c) => c.id },
  Name: { header: 'NAME', value: (c) => c.name },
  Names: { header: 'NAMES', value: (c) => c.name },
  Image: { header: 'IMAGE', value: (c) => c.image },
  Command: { header: 'COMMAND', value: (c) => JSON.stringify(c.command) },
  Project: { header: 'PROJECT', value: (c) => c.project },
  Service: { header: 'SERVICE', value: (c) => c.service },
  CreatedAt: { header: 'CREATED AT', value: (c) => new Date(c.createdAt).toISOString() },
  RunningFor: { header: 'CREATED', value: (c) => ago(c.createdAt) },
  State: { header: 'STATE', value: (c) => c.state },
  Status: { header: 'STATUS', value: (c) => statusText(c) },
  Health: { header: 'HEALTH', value: (c) => c.health ?? '' },
  ExitCode: { header: 'EXIT CODE', value: (c) => String(c.exitCode ?? 0) },
  Ports: { header: 'PORTS', value: (c) => portsText(c) },
};

/** `--format` with ps's fields (see ../template.ts). */
export function renderTemplate(format: string, rows: readonly ContainerSummary[]): string {
  return renderWithFields(format, FIELDS, rows);
}

/** `--filter KEY=VAL`: compose's ps knows `status` only. */
export function filterStatus(filter: string | undefined): string[] {
  if (filter === undefined || filter === '') return [];
  const i = filter.indexOf('=');
  if (i < 0) throw new UsageError('arguments to --filter should be in form KEY=VAL');
  const key = filter.slice(0, i);
  if (key === 'status') return [filter.slice(i + 1)];
  if (key === 'source') throw new UsageError('--filter source is not implemented');
  throw new UsageError(`unknown filter ${key}`);
}

export const command: Command = {
  usage: 'berth ps [OPTIONS] [SERVICE...]',
  summary: 'List containers',
  flags: [
    { name: 'all', short: 'a', type: 'bool', help: 'Show all stopped containers' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Only display IDs' },
    { name: 'services', type: 'bool', help: 'Display services' },
    { name: 'status', type: 'list', value: 'STATUS', help: 'Filter services by status. Values: [paused | restarting | running | dead | created | exited]' },
    { name: 'filter', type: 'string', value: 'FILTER', help: 'Filter services by a property (supported filters: status)' },
    { name: 'orphans', type: 'bool', help: 'Include orphaned services (not declared by project) (default true)' },
    { name: 'no-trunc', type: 'bool', help: "Don't truncate output" },
    { name: 'format', type: 'string', value: 'FORMAT', help: 'Format the output: table (default), json, or a template like "table {{.Name}}\\t{{.Status}}"' },
  ],
  async run(ctx) {
    const format = str(ctx, 'format') ?? 'table';
    const template = templateOf(format, FIELDS); // a bad template fails before anything runs
    const status = [...list(ctx, 'status'), ...filterStatus(str(ctx, 'filter'))];
    const engine = await engineFor(ctx);
    const rows = await engine.ps({ source: sourceOf(ctx), services: ctx.args, all: bool(ctx, 'all') || status.length > 0, status, orphans: ctx.flags.orphans !== false, signal: ctx.signal });
    if (bool(ctx, 'quiet')) {
      ctx.stdout.write(rows.map((r) => `${r.id}\n`).join(''));
      return 0;
    }
    if (bool(ctx, 'services')) {
      ctx.stdout.write(
        [...new Set(rows.map((r) => r.service))]
          .sort()
          .map((s) => `${s}\n`)
          .join(''),
      );
      return 0;
    }
    if (template !== undefined) {
      ctx.stdout.write(renderTemplate(template, rows));
      return 0;
    }
    if (format === 'json') {
      ctx.stdout.write(`${JSON.stringify(rows.map((r) => ({ ...r, status: statusText(r), publishers: r.ports })))}\n`);
      return 0;
    }
    ctx.stdout.write(
      table(
        ['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS'],
        rows.map((r) => [
          r.name,
          r.image,
          JSON.stringify(r.command.length > 20 && !bool(ctx, 'no-trunc') ? `${r.command.slice(0, 19)}…` : r.command),
          r.service,
          ago(r.createdAt),
          statusText(r),
          portsText(r),
        ]),
      ),
    );
    return 0;
  },
};
