/**
 * Plain code-unit order for sorting names, as Go's sort.Strings in docker. Not
 * `localeCompare`: its first call loads ICU's collation data (~7 ms of a CLI start) and its
 * order depends on the locale.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
