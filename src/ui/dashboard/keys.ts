/**
 * What a key does in the dashboard: a pure reducer from (view state, key) to the next view
 * state and, for keys that act on the stack, an action for the CLI to carry out.
 */
import { graphemes } from './format.js';

export interface ViewState {
  /** Index into the table's rows. */
  readonly selected: number;
  /** The log pane shows this service only (undefined: all). */
  readonly logService: string | undefined;
  /** Lines scrolled back from the newest (0: following). */
  readonly scroll: number;
  readonly wrap: boolean;
  readonly help: boolean;
  /** The search being typed (after `/`), or undefined. */
  readonly typing: string | undefined;
  /** The search in force (filter + highlight), or undefined. */
  readonly search: string | undefined;
  /** A one-line message in the footer (an action's result). */
  readonly message?: string | undefined;
}

export const initialView: ViewState = { selected: 0, logService: undefined, scroll: 0, wrap: false, help: false, typing: undefined, search: undefined };

export type Action = 'restart' | 'stop-start' | 'recreate' | 'shell' | 'toggle-watch' | 'detach' | 'quit';

/** The key as ink reports it (`useInput`): the typed text and the named keys that matter here. */
export interface KeyPress {
  readonly input: string;
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly pageUp?: boolean;
  readonly pageDown?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly backspace?: boolean;
  readonly delete?: boolean;
  readonly ctrl?: boolean;
}

/**
 * Keys typed faster than they are read arrive as one chunk (`/tick\r`, or escape then `r`
 * as alt-r): one press per character, `\r` as enter, DEL as backspace.
 */
export function splitKeys(input: string, key: Omit<KeyPress, 'input'> & { meta?: boolean }): KeyPress[] {
  const named = key.upArrow || key.downArrow || key.pageUp || key.pageDown || key.return || key.escape || key.backspace || key.delete || key.ctrl;
  if (key.meta && !named && input.length > 0) return [{ input: '', escape: true }, ...splitKeys(input, {})];
  if (named || input.length <= 1) return [{ ...key, input }];
  return graphemes(input).map((c) => (c === '\r' || c === '\n' ? { input: '', return: true } : c === '\x7f' || c === '\b' ? { input: '', backspace: true } : { input: c }));
}

export interface KeyContext {
  /** Services of the table rows, in order. */
  readonly rowServices: readonly string[];
  /** Log lines one page scrolls. */
  readonly page: number;
}

export interface KeyResult {
  readonly view: ViewState;
  readonly action?: Action;
}

export function onKey(view: ViewState, key: KeyPress, ctx: KeyContext): KeyResult {
  if (key.ctrl && key.input === 'c') return { view, action: 'quit' };
  if (view.typing !== undefined) {
    if (key.return) return { view: { ...view, typing: undefined, search: view.typing || undefined, scroll: 0 } };
    if (key.escape) return { view: { ...view, typing: undefined } };
    if (key.backspace || key.delete) return { view: { ...view, typing: view.typing.slice(0, -1) } };
    if (key.input && !key.ctrl) return { view: { ...view, typing: view.typing + key.input } };
    return { view };
  }
  if (view.help) return { view: { ...view, help: false } };
  const last = Math.max(0, ctx.rowServices.length - 1);
  if (key.upArrow) return { view: { ...view, selected: Math.max(0, view.selected - 1) } };
  if (key.downArrow) return { view: { ...view, selected: Math.min(last, view.selected + 1) } };
  if (key.pageUp) return { view: { ...view, scroll: view.scroll + ctx.page } };
  if (key.pageDown) return { view: { ...view, scroll: Math.max(0, view.scroll - ctx.page) } };
  if (key.return) return { view: { ...view, logService: ctx.rowServices[view.selected], scroll: 0 } };
  if (key.escape) return { view: { ...view, search: undefined, scroll: 0 } };
  switch (key.input) {
    case 'l':
      return { view: { ...view, logService: ctx.rowServices[view.selected], scroll: 0 } };
    case 'a':
      return { view: { ...view, logService: undefined, scroll: 0 } };
    case 'f':
    case 'G':
      return { view: { ...view, scroll: 0 } };
    case '/':
      return { view: { ...view, typing: '' } };
    case 'n':
      return { view: view.search ? { ...view, scroll: view.scroll + 1 } : view };
    case 'N':
      return { view: view.search ? { ...view, scroll: Math.max(0, view.scroll - 1) } : view };
    case 'W':
      return { view: { ...view, wrap: !view.wrap } };
    case '?':
      return { view: { ...view, help: true } };
    case 'r':
      return { view, action: 'restart' };
    case 's':
      return { view, action: 'stop-start' };
    case 'R':
      return { view, action: 'recreate' };
    case 'e':
      return { view, action: 'shell' };
    case 'w':
      return { view, action: 'toggle-watch' };
    case 'd':
      return { view, action: 'detach' };
    case 'q':
      return { view, action: 'quit' };
    default:
      return { view };
  }
}

/** The key table (footer, help screen, README). */
export const KEY_HELP: readonly (readonly [string, string])[] = [
  ['↑/↓', 'select a service'],
  ['enter / l', 'logs of the selected service'],
  ['a', 'logs of all services'],
  ['PgUp/PgDn', 'scroll the logs back / forward, past memory into the log files (f: follow again)'],
  ['/', 'search the logs in memory, the last 10 000 lines a service (filter + highlight; enter applies, esc clears)'],
  ['n / N', 'older / newer match'],
  ['W', 'wrap long lines on/off'],
  ['r', 'restart the selected service'],
  ['s', 'stop / start the selected service'],
  ['R', 'recreate the selected service'],
  ['e', 'a shell in the selected container (exit returns here)'],
  ['w', 'watch on/off'],
  ['d', 'detach: leave the stack running, exit 0'],
  ['q / Ctrl-C', 'stop the stack and quit (Ctrl-C again: kill)'],
  ['?', 'this help'],
];
