import type { Command } from '../command.js';
import { bool, engineFor, sourceOf } from './compose-shared.js';
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
    case 'error':
      return `${t} error ${e.message}`;
  }
}

export const command: Command = {
  usage: 'berth events [OPTIONS] [SERVICE...]',
  summary: 'Receive real time events from containers',
  flags: [{ name: 'json', type: 'bool', help: 'Output events as a stream of json objects' }],
  async run(ctx) {
    const engine = await engineFor(ctx);
    const json = bool(ctx, 'json');
    await engine.events({
      source: sourceOf(ctx),
      services: ctx.args,
      follow: true,
      onEvent: (e) => ctx.stdout.write(`${json ? JSON.stringify(e) : text(e)}\n`),
      signal: ctx.signal,
    });
    return 0;
  },
};
