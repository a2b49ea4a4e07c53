/** Short numbers for a narrow table: bytes, rates, durations, percentages. Pure. */

export function bytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(1)}G`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)}M`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)}k`;
  return `${Math.round(n)}B`;
}

/** `4s`, `3m12s`, `2h05m`, `3d04h`. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
  return `${Math.floor(s / 86400)}d${String(Math.floor(s / 3600) % 24).padStart(2, '0')}h`;
}

export function percent(p: number): string {
  return p >= 100 ? `${Math.round(p)}%` : `${p.toFixed(1)}%`;
}

/** `[#####-----]` of `width` cells (at least 3). */
export function bar(current: number, total: number, width: number): string {
  const cells = Math.max(3, width);
  const done = total > 0 ? Math.min(cells, Math.round((current / total) * cells)) : 0;
  return `[${'#'.repeat(done)}${'-'.repeat(cells - done)}]`;
}

const segmenter = new Intl.Segmenter();

/** The characters a user sees (grapheme clusters: an emoji with its modifiers is one). */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** Text from a container, made safe for one terminal row: no escape sequences, no control characters, tabs as spaces. */
export function sanitize(text: string): string {
  return text
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, '')
    .replace(/\x1b[@-_]?/g, '')
    .replace(/\t/g, '    ')
    .replace(/[\x00-\x1f\x7f-\x9f]/g, '');
}
