import { Box, Text } from 'ink';
import type { StoredLine } from './log-store.js';
import { graphemes } from './format.js';
import { sgr } from './sgr.js';

export interface LogPaneProps {
  /** Logical lines, oldest first (already filtered). */
  readonly lines: readonly StoredLine[];
  readonly width: number;
  readonly height: number;
  readonly wrap: boolean;
  /** Highlighted text (case-insensitive). */
  readonly search: string | undefined;
  readonly color: boolean;
  /** The project's services, sorted: a service's colour is its place in this list. */
  readonly services?: readonly string[];
}

const PALETTE = ['cyan', 'yellow', 'green', 'magenta', 'blue', 'cyanBright', 'yellowBright', 'greenBright', 'magentaBright', 'blueBright'] as const;

/**
 * A service's colour: its place among the project's services (sorted, so the same on every
 * run and under any filter), else from its name.
 */
export function serviceColor(service: string, services: readonly string[] = []): string {
  const i = services.indexOf(service);
  if (i >= 0) return PALETTE[i % PALETTE.length]!;
  let h = 0;
  for (const ch of service) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}

export interface VisualRow {
  readonly key: string;
  readonly line: StoredLine;
  /** The prefix column (empty on a wrapped continuation). */
  readonly head: string;
  readonly text: string;
}

/** Logical lines to screen rows: the prefix padded, the text truncated or wrapped to the width; the last `height` rows. */
export function visualRows(lines: readonly StoredLine[], width: number, height: number, wrap: boolean): VisualRow[] {
  const pad = Math.min(24, Math.max(0, ...lines.map((l) => l.prefix.length)));
  const room = Math.max(10, width - pad - 3);
  const rows: VisualRow[] = [];
  for (const l of lines) {
    const head = `${l.prefix.slice(0, pad).padEnd(pad)} | `;
    const chars = graphemes(l.text);
    if (!wrap || chars.length <= room) rows.push({ key: `${l.seq}`, line: l, head, text: chars.slice(0, room).join('') });
    else for (let i = 0; i < chars.length; i += room) rows.push({ key: `${l.seq}.${i}`, line: l, head: i === 0 ? head : ' '.repeat(pad + 3), text: chars.slice(i, i + room).join('') });
  }
  return rows.slice(Math.max(0, rows.length - height));
}

/** `text` cut around each occurrence of `needle` (case-insensitive): [part, isMatch][]. */
export function highlight(text: string, needle: string | undefined): [string, boolean][] {
  if (!needle) return [[text, false]];
  const out: [string, boolean][] = [];
  const lower = text.toLowerCase();
  const n = needle.toLowerCase();
  let at = 0;
  for (let i = lower.indexOf(n); i >= 0; i = lower.indexOf(n, i + n.length)) {
    if (i > at) out.push([text.slice(at, i), false]);
    out.push([text.slice(i, i + n.length), true]);
    at = i + n.length;
  }
  if (at < text.length) out.push([text.slice(at), false]);
  return out;
}

/** The merged log stream: prefix coloured per service, long lines truncated or wrapped, never past the pane. */
export function LogPane({ lines, width, height, wrap, search, color, services = [] }: LogPaneProps) {
  const rows = visualRows(lines, width, height, wrap);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {rows.map((r) => {
        const berth = r.line.stream === 'berth';
        const head = sgr(berth ? 'bold' : serviceColor(r.line.service, services), r.head, berth || color);
        const text = highlight(r.text, search)
          .map(([part, hit]) => sgr('inverse', part, hit))
          .join('');
        return (
          <Text key={r.key} wrap="truncate">
            {head + text}
          </Text>
        );
      })}
    </Box>
  );
}
