/**
 * Log lines out in batches: the lines handed over in one turn of the event loop (a log
 * follower's read, one per service) leave in one write, not a write each. A write to stdout is
 * a syscall (Node writes to files and pipes synchronously): one per line was most of what
 * plain `up` and `logs -f` cost with services logging fast. A lone line leaves at the end of its
 * turn, so nothing waits on a clock; a batch is written early once it holds `MAX_BATCH` characters.
 */
const MAX_BATCH = 64 << 10;

export class LineBatch {
  readonly #out: { write(text: string): unknown };
  #lines: string[] = [];
  #size = 0;
  #scheduled = false;

  constructor(out: { write(text: string): unknown }) {
    this.#out = out;
  }

  /** Queues one line (without its newline). */
  add(line: string): void {
    this.#lines.push(line);
    this.#size += line.length + 1;
    if (this.#size >= MAX_BATCH) this.flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        this.flush();
      });
    }
  }

  /** Writes the queued lines now (before other output to the same terminal, and at the end). */
  flush(): void {
    if (this.#lines.length === 0) return;
    const text = `${this.#lines.join('\n')}\n`;
    this.#lines = [];
    this.#size = 0;
    this.#out.write(text);
  }
}
