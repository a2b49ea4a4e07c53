/**
 * Renderers of engine events and log lines: ink (TTY), plain, json. `chooseRenderer`
 * falls back to plain when the output is not a terminal.
 */
import type { Renderer, RendererOptions, RenderStreams } from './renderer.js';
import { createPlainRenderer } from './plain.js';
import { createJsonRenderer } from './json.js';

export type { Renderer, RendererOptions, RenderStreams } from './renderer.js';
export { createPlainRenderer } from './plain.js';
export { createJsonRenderer } from './json.js';
export { LogFormatter, logPrefix } from './log-format.js';
export { LineBatch } from './line-batch.js';
export { ProgressModel, rowOf, type Row } from './progress-model.js';

export type { DashboardHandle } from './dashboard/index.js';
export type { Action as DashboardAction } from './dashboard/keys.js';
export type { HistoryReader as DashboardHistoryReader } from './dashboard/history.js';

/** The dashboard's module (ink, loaded only when a terminal shows it). */
export async function loadDashboard(): Promise<typeof import('./dashboard/index.js')> {
  // React's production build: its development build costs several times the CPU per frame
  process.env.NODE_ENV ??= 'production';
  return import('./dashboard/index.js');
}

export type ProgressKind = 'auto' | 'tty' | 'plain' | 'json' | 'quiet';

/** Picks a renderer: `auto` = ink on a TTY, plain otherwise. ink is loaded only when used. */
export async function chooseRenderer(kind: ProgressKind, streams: RenderStreams, options: RendererOptions = {}): Promise<Renderer> {
  const tty = streams.stdout.isTTY === true && streams.stderr.isTTY === true;
  if (kind === 'json') return createJsonRenderer(streams);
  if (kind === 'quiet') {
    const plain = createPlainRenderer(streams, options);
    return { event: () => undefined, log: (l) => plain.log(l), close: () => plain.close() };
  }
  if (kind === 'tty' || (kind === 'auto' && tty)) {
    const { createInkRenderer } = await import('./ink.js');
    return createInkRenderer(streams, { color: options.color ?? true, ...options });
  }
  return createPlainRenderer(streams, { ...options, color: options.color ?? false });
}
export { formatFidelity } from './fidelity.js';
