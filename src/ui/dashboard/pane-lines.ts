/**
 * The log pane's lines for a view: from memory while it holds them, then (scrolled back past
 * it) from the log files through `LogHistory`. A search stays with the lines in memory.
 */
import type { LogHistory } from './history.js';
import type { LogStore, StoredLine } from './log-store.js';
import type { ViewState } from './keys.js';

export interface PaneLines {
  /** Oldest first, at most `page`. */
  readonly lines: readonly StoredLine[];
  /** Scrolled back into the log files: a note for the pane's title. */
  readonly files?: string;
}

export function paneLines(logs: LogStore, history: LogHistory | undefined, view: Pick<ViewState, 'logService' | 'search' | 'scroll'>, page: number): PaneLines {
  const query = { ...(view.logService !== undefined ? { service: view.logService } : {}), ...(view.search ? { search: view.search } : {}) };
  // one logical line per row of the pane (wrapped ones take more: LogPane keeps the last rows that fit)
  const lines = logs.tail(query, page, view.scroll);
  if (lines.length === page || !history || view.search || view.scroll === 0) {
    // following again drops the window of file lines
    if (view.scroll === 0) history?.drop();
    return { lines };
  }
  const need = page - lines.length;
  const older = history.slice(view.logService, logs.boundary(query), Math.max(0, view.scroll - logs.count(query)), need);
  const files = older.loading ? 'reading the log files…' : older.atStart && older.lines.length < need ? 'from the log files · their start' : 'from the log files';
  return { lines: [...older.lines, ...lines], files };
}
