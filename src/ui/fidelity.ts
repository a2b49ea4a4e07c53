/** `berth deploy --explain`: the fidelity report as a table, most serious verdicts first. */
import type { FidelityReport, Verdict } from '../api/index.js';

const ORDER: readonly Verdict[] = ['refused', 'dropped', 'approximate', 'exact'];

export function formatFidelity(report: FidelityReport): string {
  const rows = [...report.entries].sort((a, b) => ORDER.indexOf(a.verdict) - ORDER.indexOf(b.verdict) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const width = Math.max(4, ...rows.map((r) => r.path.length));
  const lines = [`Deploy plan for project ${report.project} to ${report.target}`, `${'KEY'.padEnd(width)}   ${'FIDELITY'.padEnd(11)}   NOTE`];
  for (const r of rows) lines.push(`${r.path.padEnd(width)}   ${r.verdict.padEnd(11)}   ${r.note ?? ''}`.trimEnd());
  const count = (v: Verdict): number => rows.filter((r) => r.verdict === v).length;
  lines.push(`${count('exact')} exact, ${count('approximate')} approximate, ${count('dropped')} dropped, ${count('refused')} refused`);
  return `${lines.join('\n')}\n`;
}
