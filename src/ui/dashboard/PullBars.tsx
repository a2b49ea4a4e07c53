import { Box, Text } from 'ink';
import type { ServiceRow } from './model.js';
import { bar, bytes, duration } from './format.js';
import { eta } from './rate.js';

export interface PullBarsProps {
  readonly rows: readonly ServiceRow[];
  readonly width: number;
  /** At most this many lines. */
  readonly height: number;
}

export type PullLine = { readonly kind: 'image'; readonly text: string } | { readonly kind: 'layer'; readonly id: string; readonly current: number; readonly total: number };

/** What PullBars draws: per image being pulled a title (bytes, rate, ETA), then one line per layer. */
export function pullLines(rows: readonly ServiceRow[]): PullLine[] {
  const seen = new Set<string>();
  const out: PullLine[] = [];
  for (const r of rows) {
    const p = r.pull;
    if (!p || p.done || r.phase !== 'pulling' || seen.has(p.image)) continue;
    seen.add(p.image);
    const left = eta(p.rate, p.total);
    const rate = p.rate && p.rate.perSecond > 0 ? `  ${bytes(p.rate.perSecond)}/s` : '';
    out.push({ kind: 'image', text: `Pulling ${p.image}  ${bytes(p.current)}/${bytes(p.total)}${rate}${left !== undefined ? `  ETA ${duration(left)}` : ''}` });
    for (const l of p.layers) out.push({ kind: 'layer', id: l.id, current: l.current, total: l.total });
  }
  return out;
}

/** Per-layer bars of the images being pulled: `a1b2c3d4e5f6 [#####-----] 1.2M/3.4M`. */
export function PullBars({ rows, width, height }: PullBarsProps) {
  const lines = pullLines(rows).slice(0, height);
  if (lines.length === 0) return null;
  return (
    <Box flexDirection="column" width={width}>
      {lines.map((l, i) =>
        l.kind === 'image' ? (
          <Text key={i} bold wrap="truncate">
            {l.text}
          </Text>
        ) : (
          <Text key={i} wrap="truncate">
            {`  ${l.id} ${bar(l.current, l.total, Math.min(30, width - 40))} ${bytes(l.current)}/${bytes(l.total)}${l.current >= l.total ? ' done' : ''}`}
          </Text>
        ),
      )}
    </Box>
  );
}
