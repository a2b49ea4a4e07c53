#!/usr/bin/env node
// Renders a terminal capture with SGR escapes (`tmux capture-pane -e -p`) as an SVG of a
// dark terminal; `rsvg-convert` (Debian: librsvg2-bin) turns it into the README's PNG:
//   tmux capture-pane -e -p -t PANE > pane.ansi
//   node scripts/ansi-to-svg.mjs pane.ansi > pane.svg && rsvg-convert pane.svg -o docs/dashboard.png
import { readFileSync } from 'node:fs';

const BASIC = ['#1d1f21', '#cc6666', '#b5bd68', '#f0c674', '#81a2be', '#b294bb', '#8abeb7', '#c5c8c6'];
const BRIGHT = ['#666666', '#d54e53', '#b9ca4a', '#e7c547', '#7aa6da', '#c397d8', '#70c0b1', '#eaeaea'];
const FG = '#c5c8c6';
const BG = '#1d1f21';
const CW = 8.4; // cell width at font-size 14
const CH = 18; // cell height

function xterm256(n) {
  if (n < 8) return BASIC[n];
  if (n < 16) return BRIGHT[n - 8];
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v},${v},${v})`;
  }
  const i = n - 16;
  const c = (x) => (x === 0 ? 0 : 55 + x * 40);
  return `rgb(${c(Math.floor(i / 36))},${c(Math.floor(i / 6) % 6)},${c(i % 6)})`;
}

/** One row: cells of { ch, fg, bg, bold, dim }. */
function parseRow(line, width) {
  const cells = [];
  let st = { fg: undefined, bg: undefined, bold: false, dim: false, inverse: false };
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\x1b' && line[i + 1] === '[') {
      const end = line.slice(i + 2).search(/[@-~]/);
      const body = line.slice(i + 2, i + 2 + end);
      const final = line[i + 2 + end];
      i += 2 + end;
      if (final !== 'm') continue;
      const p = body === '' ? [0] : body.split(';').map(Number);
      for (let k = 0; k < p.length; k++) {
        const n = p[k];
        if (n === 0) st = { fg: undefined, bg: undefined, bold: false, dim: false, inverse: false };
        else if (n === 1) st = { ...st, bold: true };
        else if (n === 2) st = { ...st, dim: true };
        else if (n === 22) st = { ...st, bold: false, dim: false };
        else if (n === 7) st = { ...st, inverse: true };
        else if (n === 27) st = { ...st, inverse: false };
        else if (n >= 30 && n <= 37) st = { ...st, fg: BASIC[n - 30] };
        else if (n >= 90 && n <= 97) st = { ...st, fg: BRIGHT[n - 90] };
        else if (n === 39) st = { ...st, fg: undefined };
        else if (n >= 40 && n <= 47) st = { ...st, bg: BASIC[n - 40] };
        else if (n >= 100 && n <= 107) st = { ...st, bg: BRIGHT[n - 100] };
        else if (n === 49) st = { ...st, bg: undefined };
        else if ((n === 38 || n === 48) && p[k + 1] === 5) {
          st = { ...st, [n === 38 ? 'fg' : 'bg']: xterm256(p[k + 2]) };
          k += 2;
        } else if ((n === 38 || n === 48) && p[k + 1] === 2) {
          st = { ...st, [n === 38 ? 'fg' : 'bg']: `rgb(${p[k + 2]},${p[k + 3]},${p[k + 4]})` };
          k += 4;
        }
      }
      continue;
    }
    const fg = st.inverse ? (st.bg ?? BG) : (st.fg ?? FG);
    const bg = st.inverse ? (st.fg ?? FG) : st.bg;
    cells.push({ ch: line[i], fg, bg, bold: st.bold, dim: st.dim });
  }
  return cells.slice(0, width);
}

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const text = readFileSync(process.argv[2] ?? 0, 'utf8').replace(/\n$/, '');
const lines = text.split('\n');
const width = Math.max(...lines.map((l) => l.replace(/\x1b\[[0-9;?]*[@-~]/g, '').length));
const pad = 12;
const out = [];
out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(width * CW + 2 * pad)}" height="${lines.length * CH + 2 * pad}">`);
out.push(`<rect width="100%" height="100%" fill="${BG}" rx="6"/>`);
out.push(`<g font-family="DejaVu Sans Mono, monospace" font-size="14" xml:space="preserve">`);
lines.forEach((line, row) => {
  const cells = parseRow(line, width);
  const y = pad + row * CH;
  // backgrounds, then runs of text with the same style
  cells.forEach((c, col) => c.bg && out.push(`<rect x="${(pad + col * CW).toFixed(1)}" y="${y}" width="${CW + 0.5}" height="${CH}" fill="${c.bg}"/>`));
  let col = 0;
  while (col < cells.length) {
    const c = cells[col];
    let end = col + 1;
    while (end < cells.length && cells[end].fg === c.fg && cells[end].bold === c.bold && cells[end].dim === c.dim) end++;
    const run = cells
      .slice(col, end)
      .map((x) => x.ch)
      .join('');
    if (run.trim() !== '') {
      out.push(
        `<text x="${(pad + col * CW).toFixed(1)}" y="${y + 14}" fill="${c.fg}"${c.bold ? ' font-weight="bold"' : ''}${c.dim ? ' opacity="0.6"' : ''} textLength="${(run.length * CW).toFixed(1)}" lengthAdjust="spacingAndGlyphs">${esc(run)}</text>`,
      );
    }
    col = end;
  }
});
out.push('</g></svg>');
process.stdout.write(`${out.join('\n')}\n`);
