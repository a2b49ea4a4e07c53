import type { LogLine } from '../api/index.js';
import { ColorPicker, paint } from './colors.js';

export interface LogFormatOptions {
  readonly color: boolean;
  readonly timestamps?: boolean;
  readonly prefix?: boolean;
}

/** `web-1` (docker compose's prefix: the service and the replica number). */
export function logPrefix(line: Pick<LogLine, 'service' | 'number'>): string {
  return `${line.service}-${line.number}`;
}

/**
 * Formats log lines as docker compose does: `web-1  | text`, the prefix padded to the
 * widest one seen so far and coloured per service.
 */
export class LogFormatter {
  readonly #colors = new ColorPicker();
  readonly #options: LogFormatOptions;
  #width: number;

  constructor(options: LogFormatOptions, knownPrefixes: readonly string[] = []) {
    this.#options = options;
    this.#width = Math.max(0, ...knownPrefixes.map((p) => p.length));
  }

  format(line: LogLine): string {
    const stamp = this.#options.timestamps ? `${new Date(line.time).toISOString()} ` : '';
    if (this.#options.prefix === false) return `${stamp}${line.text}`;
    const prefix = logPrefix(line);
    this.#width = Math.max(this.#width, prefix.length);
    const head = `${prefix.padEnd(this.#width)}  | `;
    return `${this.#options.color ? paint(this.#colors.pick(line.service), head) : head}${stamp}${line.text}`;
  }
}
