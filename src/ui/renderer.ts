import type { EngineEvent, LogLine } from '../api/index.js';

/** What the CLI hands the engine's events and log lines to. */
export interface Renderer {
  event(event: EngineEvent): void;
  log(line: LogLine): void;
  /** Flushes and releases the output (ink unmounts). */
  close(): Promise<void>;
}

export interface RenderStreams {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface RendererOptions {
  readonly color?: boolean;
  readonly timestamps?: boolean;
  readonly prefix?: boolean;
  /** Service-N prefixes known up front, so the padding does not shift. */
  readonly prefixes?: readonly string[];
}
