/**
 * Phase marks for finding where a command's time goes: with `BERTH_TRACE=1` each mark
 * prints `berth-trace <ms since process start> <what>` to stderr; otherwise a no-op.
 * (`scripts/trace-phases.mjs` runs a command repeatedly and prints the median per phase.)
 */
// written to fd 2 directly: creating process.stderr (~3 ms: net, tty) would be counted as the
// traced command's time
const { writeSync } = process.getBuiltinModule('node:fs');
export const trace: (what: string) => void = process.env.BERTH_TRACE ? (what) => void writeSync(2, `berth-trace ${performance.now().toFixed(1)} ${what}\n`) : () => undefined;

if (process.env.BERTH_TRACE) process.on('exit', () => trace('exit'));
