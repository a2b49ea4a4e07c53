/** JSON renderer: one object per line on stdout, events and logs alike (`--progress json`, `events --json`), written a batch at a time (`LineBatch`). */
import type { EngineEvent, LogLine } from '../api/index.js';
import { LineBatch } from './line-batch.js';
import type { Renderer, RenderStreams } from './renderer.js';

export function createJsonRenderer(streams: RenderStreams): Renderer {
  const out = new LineBatch(streams.stdout);
  return {
    event(event: EngineEvent) {
      out.add(JSON.stringify({ type: 'event', ...event }));
    },
    log(line: LogLine) {
      out.add(JSON.stringify({ type: 'log', ...line }));
    },
    async close() {
      out.flush();
    },
  };
}
