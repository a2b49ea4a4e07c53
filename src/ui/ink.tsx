/**
 * The TTY renderer: a live progress block (ink) with log lines written above it. Renders
 * into the injected streams (testable); ink throttles frames (maxFps).
 */
import { render, useStdout, type Instance } from 'ink';
import { useEffect } from 'react';
import type { EngineEvent, LogLine } from '../api/index.js';
import { LogFormatter } from './log-format.js';
import { ProgressModel } from './progress-model.js';
import { ProgressView } from './ProgressView.js';
import type { Renderer, RendererOptions, RenderStreams } from './renderer.js';

function Writer({ onReady }: { onReady: (write: (s: string) => void) => void }) {
  const { write } = useStdout();
  useEffect(() => onReady(write), [write, onReady]);
  return null;
}

export function createInkRenderer(streams: RenderStreams, options: RendererOptions & { interactive?: boolean; maxFps?: number } = {}): Renderer {
  const model = new ProgressModel();
  const logs = new LogFormatter({ color: options.color ?? true, timestamps: options.timestamps ?? false, prefix: options.prefix ?? true }, options.prefixes);
  let frame = 0;
  let write: ((s: string) => void) | undefined;
  const pending: string[] = [];
  const onReady = (w: (s: string) => void): void => {
    write = w;
    if (pending.length > 0) w(pending.splice(0).join(''));
  };
  const view = () => (
    <>
      <Writer onReady={onReady} />
      <ProgressView rows={model.rows()} now={Date.now()} frame={frame} width={Math.max(40, (streams.stdout.columns ?? 80) - 1)} />
    </>
  );
  const instance: Instance = render(view(), {
    stdout: streams.stdout,
    stderr: streams.stderr,
    patchConsole: false,
    exitOnCtrlC: false,
    maxFps: options.maxFps ?? 15,
    ...(options.interactive !== undefined ? { interactive: options.interactive } : {}),
  });
  const timer = setInterval(() => {
    if (model.rows().some((r) => r.state === 'working')) {
      frame++;
      instance.rerender(view());
    }
  }, 100);
  timer.unref();
  return {
    event(event: EngineEvent) {
      model.apply(event);
      if (event.kind === 'warning' || event.kind === 'info') {
        const line = event.kind === 'warning' ? `WARN ${event.message}\n` : `${event.message}\n`;
        if (write) write(line);
        else pending.push(line);
      }
      instance.rerender(view());
    },
    log(line: LogLine) {
      const text = `${logs.format(line)}\n`;
      if (write) write(text);
      else pending.push(text);
    },
    async close() {
      clearInterval(timer);
      instance.rerender(view());
      instance.unmount();
      await instance.waitUntilExit().catch(() => undefined);
    },
  };
}
