/**
 * Plain renderer: one line per state change on stderr (` Container hello-web-1  Started`)
 * and prefixed log lines on stdout, written a batch at a time (`LineBatch`). For pipes, CI and
 * `--progress plain`. The error that ends a command only marks rows
 * (` Container hello-web-1  Error`): the CLI prints its reason, once.
 */
import type { EngineEvent, LogLine } from '../api/index.js';
import { LogFormatter } from './log-format.js';
import { LineBatch } from './line-batch.js';
import { ProgressModel } from './progress-model.js';
import type { Renderer, RendererOptions, RenderStreams } from './renderer.js';
import { red, paint } from './colors.js';

export function createPlainRenderer(streams: RenderStreams, options: RendererOptions = {}): Renderer {
  const color = options.color ?? false;
  const model = new ProgressModel();
  const logs = new LogFormatter({ color, timestamps: options.timestamps ?? false, prefix: options.prefix ?? true }, options.prefixes);
  const out = new LineBatch(streams.stdout);
  return {
    event(event: EngineEvent) {
      // the log lines before it first: a terminal shows both streams in the order they came
      out.flush();
      const rows = model.apply(event);
      if (event.kind === 'warning') {
        streams.stderr.write(`${color ? paint(33, 'WARN') : 'WARN'}[0000] ${event.message}\n`);
        return;
      }
      if (event.kind === 'info') {
        streams.stderr.write(`${event.message}\n`);
        return;
      }
      if (event.kind === 'image' && event.action === 'progress') return;
      for (const row of rows) {
        const status = row.state === 'error' && color ? red(row.status) : row.status;
        streams.stderr.write(` ${row.key}  ${status}${row.detail ? ` (${row.detail})` : ''}\n`);
      }
    },
    log(line: LogLine) {
      out.add(logs.format(line));
    },
    async close() {
      out.flush();
    },
  };
}
