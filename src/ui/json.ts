/** JSON renderer: one object per line on stdout, events and logs alike (`--progress json`, `events --json`). */
import type { EngineEvent, LogLine } from '../api/index.js';
import type { Renderer, RenderStreams } from './renderer.js';

export function createJsonRenderer(streams: RenderStreams): Renderer {
  return {
    event(event: EngineEvent) {
      streams.stdout.write(`${JSON.stringify({ type: 'event', ...event })}\n`);
    },
    log(line: LogLine) {
      streams.stdout.write(`${JSON.stringify({ type: 'log', ...line })}\n`);
    },
    async close() {},
  };
}
