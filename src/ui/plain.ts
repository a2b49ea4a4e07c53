/**
 * Plain renderer: one line per state change on stderr (` Container hello-web-1  Started`)
 * and prefixed log lines on stdout. For pipes, CI and `--progress plain`. The error that
 * ends a command only marks rows (` Container hello-web-1  Error`): the CLI prints its
 * reason, once.
 */
import type { EngineEvent, LogLine } from '../api/index.js';
import { LogFormatter } from './log-format.js';
import { ProgressModel } from './progress-model.js';
import type { Renderer, RendererOptions, RenderStreams } from './renderer.js';
import { red, paint } from './colors.js';

export function createPlainRenderer(streams: RenderStreams, options: RendererOptions = {}): Renderer {
  const color = options.color ?? false;
  const model = new ProgressModel();
  const logs = new LogFormatter({ color, timestamps: options.timestamps ?? false, prefix: options.prefix ?? true }, options.prefixes);
  return {
    event(event: EngineEvent) {
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
      streams.stdout.write(`${logs.format(line)}\n`);
    },
    async close() {},
  };
}
