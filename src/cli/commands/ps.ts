import type { Command } from '../command.js';
import type { ContainerSummary } from '../../api/index.js';
import { UsageError } from '../../errors.js';
import { bool, engineFor, list, sourceOf, str, table } from './compose-shared.js';

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

export const command: Command = {
  usage: 'berth ps [OPTIONS] [SERVICE...]',
  summary: 'List containers',
  flags: [
    { name: 'all', short: 'a', type: 'bool', help: 'Show all stopped containers' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Only display IDs' },
    { name: 'services', type: 'bool', help: 'Display services' },
    { name: 'status', type: 'list', value: 'STATUS', help: 'Filter services by status (created, restarting, running, paused, exited)' },
    { name: 'format', type: 'string', value: 'FORMAT', help: 'Format the output: table (default) or json' },
  ],
  async run(ctx) {
    const format = str(ctx, 'format') ?? 'table';
    if (format !== 'table' && format !== 'json') throw new UsageError(`invalid --format "${format}": expected table or json`);
    const engine = await engineFor(ctx);
    const rows = await engine.ps({ source: sourceOf(ctx), services: ctx.args, all: bool(ctx, 'all') || list(ctx, 'status').length > 0, status: list(ctx, 'status'), signal: ctx.signal });
    if (bool(ctx, 'quiet')) {
      ctx.stdout.write(rows.map((r) => `${r.id}\n`).join(''));
      return 0;
    }
    if (bool(ctx, 'services')) {
      ctx.stdout.write([...new Set(rows.map((r) => r.service))].sort().map((s) => `${s}\n`).join(''));
      return 0;
    }
    if (format === 'json') {
      ctx.stdout.write(`${JSON.stringify(rows.map((r) => ({ ...r, status: statusText(r), publishers: r.ports })))}\n`);
      return 0;
    }
    ctx.stdout.write(
      table(
        ['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS'],
        rows.map((r) => [r.name, r.image, JSON.stringify(r.command.length > 20 ? `${r.command.slice(0, 19)}…` : r.command), r.service, ago(r.createdAt), statusText(r), portsText(r)]),
      ),
    );
    return 0;
  },
};
