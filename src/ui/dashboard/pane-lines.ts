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
  /** The view's scroll held at the files' start (PgUp past it goes no further). */
  readonly scroll: number;
}

export function paneLines(logs: LogStore, history: LogHistory | undefined, view: Pick<ViewState, 'logService' | 'search' | 'scroll'>, page: number): PaneLines {
  const query = { ...(view.logService !== undefined ? { service: view.logService } : {}), ...(view.search ? { search: view.search } : {}) };
  // one logical line per row of the pane (wrapped ones take more: LogPane keeps the last rows that fit)
  const lines = logs.tail(query, page, view.scroll);
  if (lines.length === page || !history || view.search || view.scroll === 0) {
    // following again drops the window of file lines
    if (view.scroll === 0) history?.drop();
    return { lines, scroll: view.scroll };
  }
  const need = page - lines.length;
  const inMemory = logs.count(query);
  const boundary = logs.boundary(query);
  const skip = Math.max(0, view.scroll - inMemory);
  const older = history.slice(view.logService, boundary, skip, need);
  if (older.total !== undefined && older.lines.length < need && view.scroll > 0) {
    // past the start: the first page, as far back as the files go
    const scroll = Math.max(0, Math.min(view.scroll, inMemory + older.total - page));
    if (scroll < view.scroll) return { ...paneLines(logs, history, { ...view, scroll }, page), files: 'from the log files · their start' };
  }
  // the page reaches the files' first line (every frame there says so, not only the one that held the scroll)
  const first = older.total !== undefined && skip + need >= older.total;
  const files = older.loading ? 'reading the log files…' : first ? 'from the log files · their start' : 'from the log files';
  return { lines: [...older.lines, ...lines], files, scroll: view.scroll };
}
