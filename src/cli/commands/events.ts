import type { Command } from '../command.js';
import { bool, engineFor, parseTime, sourceOf, str } from './compose-shared.js';
import type { EngineEvent } from '../../api/index.js';

function text(e: EngineEvent): string {
  const t = new Date(e.time).toISOString();
  switch (e.kind) {
    case 'container':
      return `${t} container ${e.action} ${e.id ?? e.container} (name=${e.container}, service=${e.service}${e.exitCode !== undefined ? `, exitCode=${e.exitCode}` : ''}${e.detail ? `, detail=${e.detail}` : ''})`;
    case 'network':
      return `${t} network ${e.action} ${e.network}`;
    case 'volume':
      return `${t} volume ${e.action} ${e.volume}`;
    case 'image':
      return `${t} image ${e.action} ${e.image}`;
    case 'warning':
      return `${t} warning ${e.message}`;
    case 'info':
      return `${t} info ${e.message}`;
    case 'error':
      return `${t} error ${e.message}`;
    case 'deploy':
      return `${t} deploy ${e.action} ${e.object} ${e.name}`;
    case 'watch':
      return `${t} watch ${e.action}${e.service ? ` ${e.service}` : ''}${e.detail ? ` (${e.detail})` : ''}`;
    case 'status':
      return `${t} status ${e.project} (${e.containers.length} containers)`;
  }
}

export const command: Command = {
  usage: 'berth events [OPTIONS] [SERVICE...]',
  summary: 'Receive real time events from containers',
  flags: [
    { name: 'json', type: 'bool', help: 'Output events as a stream of json objects' },
    { name: 'since', type: 'string', value: 'TIME', help: 'Show events since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m), then keep following' },
    { name: 'until', type: 'string', value: 'TIME', help: 'Stream events until this timestamp or relative time, then exit' },
  ],
  async run(ctx) {
    const now = Date.now();
    const since = parseTime(str(ctx, 'since'), now);
    const until = parseTime(str(ctx, 'until'), now);
    const engine = await engineFor(ctx);
    const json = bool(ctx, 'json');
    const print = (e: EngineEvent): void => void ctx.stdout.write(`${json ? JSON.stringify(e) : text(e)}\n`);
    const past = until !== undefined && until <= now;
    // --until in the future ends the stream then (docker's rule)
    const stop = new AbortController();
    const timer = until !== undefined && !past ? setTimeout(() => stop.abort(), until - now) : undefined;
    try {
      // one call: the recorded events since --since, then the live ones from the same byte offset
      await engine.events({
        source: sourceOf(ctx),
        services: ctx.args,
        follow: !past,
        ...(since !== undefined ? { since } : {}),
        ...(until !== undefined ? { until } : {}),
        onEvent: print,
        signal: AbortSignal.any([ctx.signal, stop.signal]),
      });
    } finally {
      clearTimeout(timer);
    }
    return 0;
  },
};
