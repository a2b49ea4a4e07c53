// Helpers shared by the image commands: sizes and ages as docker shows them.

export const shortId = (d: string): string => d.replace(/^sha256:/, '').slice(0, 12);

export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)}${units[i]}`;
}

export function humanAge(iso: string | undefined, now = Date.now()): string {
  if (!iso) return 'N/A';
  const s = Math.max(0, (now - Date.parse(iso)) / 1000);
  const table: [number, string][] = [
    [60, 'second'],
    [3600, 'minute'],
    [86400, 'hour'],
    [86400 * 7, 'day'],
    [86400 * 30, 'week'],
    [86400 * 365, 'month'],
    [Infinity, 'year'],
  ];
  const div: Record<string, number> = { second: 1, minute: 60, hour: 3600, day: 86400, week: 86400 * 7, month: 86400 * 30, year: 86400 * 365 };
  for (const [limit, unit] of table) {
    if (s < limit) {
      const n = Math.floor(s / div[unit]!);
      if (unit === 'second' && n < 1) return 'Less than a second ago';
      return `${n === 1 ? (unit === 'hour' ? 'About an' : '1') : n} ${unit}${n === 1 ? '' : 's'} ago`;
    }
  }
  return 'N/A';
}
