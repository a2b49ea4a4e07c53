/**
 * `Date.parse` for a stream of ISO times in order (a log's `…T22:40:36.123456789Z`): the
 * second's part is parsed once per second, the milliseconds read off the digits; a busy
 * service's lines share their second, and Date.parse per line cost as much as reading it.
 * Any other form goes to Date.parse.
 */
export function isoMsReader(): (iso: string) => number {
  let second = '';
  let base = NaN;
  return (iso) => {
    // YYYY-MM-DDTHH:MM:SS.fffZ with 3 to 9 digits of fraction
    if (iso.length < 24 || iso.length > 30 || iso.charCodeAt(19) !== 46 /* . */ || iso.charCodeAt(iso.length - 1) !== 90 /* Z */) return Date.parse(iso);
    const ms = Number(iso.slice(20, 23));
    if (!Number.isInteger(ms) || !/^\d+$/.test(iso.slice(20, -1))) return Date.parse(iso);
    const s = iso.slice(0, 19);
    if (s !== second) {
      second = s;
      base = Date.parse(`${s}Z`);
    }
    return base + ms;
  };
}
