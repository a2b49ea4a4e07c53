/** ANSI colours as docker compose cycles them through services. */
const PALETTE = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94] as const;

export function paint(code: number, text: string): string {
  return `\x1b[${code}m${text}\x1b[0m`;
}

/** A stable colour per prefix: the order in which prefixes first appear. */
export class ColorPicker {
  readonly #seen = new Map<string, number>();
  pick(key: string): number {
    let c = this.#seen.get(key);
    if (c === undefined) {
      c = PALETTE[this.#seen.size % PALETTE.length]!;
      this.#seen.set(key, c);
    }
    return c;
  }
}

export const red = (t: string): string => paint(31, t);
export const green = (t: string): string => paint(32, t);
export const dim = (t: string): string => paint(2, t);
