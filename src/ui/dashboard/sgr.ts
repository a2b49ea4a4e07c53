/**
 * Rows drawn as one string each (SGR sequences inline) instead of nested ink <Text>
 * elements: a frame of the log pane is then ~25 nodes for ink to lay out, not ~100.
 */
const CODES: Readonly<Record<string, readonly [number, number]>> = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
  white: [37, 39],
  gray: [90, 39],
  yellowBright: [93, 39],
  greenBright: [92, 39],
  blueBright: [94, 39],
  magentaBright: [95, 39],
  cyanBright: [96, 39],
  bold: [1, 22],
  inverse: [7, 27],
};

/** `text` in `style` (a colour name, `bold` or `inverse`); unchanged when `on` is false. */
export function sgr(style: string, text: string, on = true): string {
  const c = CODES[style];
  return on && c && text !== '' ? `\x1b[${c[0]}m${text}\x1b[${c[1]}m` : text;
}
