import { Box, Text } from 'ink';
import type { ServiceRow } from './model.js';
import type { StoredLine } from './log-store.js';
import { KEY_HELP, type ViewState } from './keys.js';
import { ServiceTable } from './ServiceTable.js';
import { PullBars, pullLines } from './PullBars.js';
import { LogPane } from './LogPane.js';
import { sgr } from './sgr.js';

export interface DashboardProps {
  readonly project: string;
  readonly rows: readonly ServiceRow[];
  /** The log lines the pane may show (newest last; the pane takes the last that fit). */
  readonly logs: readonly StoredLine[];
  /** Matching lines in memory for the search in force. */
  readonly matches?: number;
  /** Scrolled back into the log files: where the pane's older lines come from. */
  readonly files?: string;
  readonly view: ViewState;
  readonly width: number;
  readonly height: number;
  readonly now: number;
  readonly color: boolean;
  /** `watching` / `watch off` / undefined (no watch for this stack). */
  readonly watch?: string;
  /** A stack-wide note: `stopping…`, `detaching…`. */
  readonly status?: string;
}

const FOOTER: readonly (readonly [string, string])[] = [
  ['↑↓', 'select'],
  ['⏎', 'logs'],
  ['a', 'all'],
  ['/', 'search'],
  ['r', 'restart'],
  ['s', 'stop/start'],
  ['d', 'detach'],
  ['q', 'quit'],
  ['R', 'recreate'],
  ['e', 'shell'],
  ['w', 'watch'],
];

/** The key line for `width` columns: as many keys as fit (keys bold), `? help` always last. */
export function footer(width: number): string {
  const help = `${sgr('bold', '?')} help`;
  for (const gap of ['  ', ' ']) {
    const items = FOOTER.map(([k, what]) => [k, what] as const);
    while (items.length > 0) {
      const plain = [...items.map(([k, what]) => `${k} ${what}`), '? help'].join(gap);
      if (plain.length + 1 <= width) return ` ${[...items.map(([k, what]) => `${sgr('bold', k)} ${what}`), help].join(gap)}`;
      if (gap === '  ') break;
      items.pop();
    }
  }
  return ` ${help}`;
}

/** How the screen's rows are shared: table body, pull bars and log pane. */
export function layout(rows: number, height: number, pulls: number) {
  const fixed = 4; // title, table header, log title, footer
  const table = Math.max(1, Math.min(rows, Math.floor((height - fixed) / 2)));
  const bars = Math.min(pulls, Math.max(0, Math.floor((height - fixed - table) / 3)));
  const logs = Math.max(1, height - fixed - table - bars);
  return { table, bars, logs };
}

export function Dashboard(p: DashboardProps) {
  const width = Math.max(20, p.width);
  const height = Math.max(8, p.height);
  if (p.view.help) return <Help width={width} height={height} />;
  const size = layout(p.rows.length, height, pullLines(p.rows).length);
  const running = p.rows.filter((r) => r.phase === 'running').length;
  const title = ` berth · ${p.project} · ${running}/${p.rows.length} running${p.watch ? ` · ${p.watch}` : ''}${p.status ? ` · ${p.status}` : ''}`;
  const following = p.view.scroll === 0 ? 'following' : `scrolled back ${p.view.scroll}${p.files ? ` · ${p.files}` : ''}`;
  const search = p.view.typing !== undefined ? `  search: ${p.view.typing}▏` : p.view.search ? `  search "${p.view.search}" (${p.matches ?? 0} lines in memory, n/N, esc clears)` : '';
  const logTitle = ` Logs: ${p.view.logService ?? 'all services'} · ${following}${p.view.wrap ? ' · wrap' : ''}${search}`;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse wrap="truncate">
        {title.padEnd(width)}
      </Text>
      <ServiceTable rows={p.rows} selected={p.view.selected} width={width} height={size.table} now={p.now} color={p.color} />
      <PullBars rows={p.rows} width={width} height={size.bars} />
      <Text bold wrap="truncate" {...(p.color ? { color: 'blue' } : {})}>
        {logTitle}
      </Text>
      <LogPane lines={p.logs} width={width} height={size.logs} wrap={p.view.wrap} search={p.view.search} color={p.color} services={[...new Set(p.rows.map((r) => r.service))]} />
      <Text dimColor wrap="truncate">
        {p.view.message ? ` ${p.view.message}` : footer(width)}
      </Text>
    </Box>
  );
}

function Help({ width, height }: { width: number; height: number }) {
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse wrap="truncate">
        {' berth dashboard · keys (any key closes)'.padEnd(width)}
      </Text>
      {KEY_HELP.map(([k, what]) => (
        <Text key={k} wrap="truncate">
          {`  ${k.padEnd(12)} ${what}`}
        </Text>
      ))}
    </Box>
  );
}
