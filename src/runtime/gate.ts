// The exec fifo gate: `start` opens the fifo's read end, the init (waiting at the gate in
// the shim) opens the write end, writes one byte and holds the fifo open until the service's
// exec closes it (close-on-exec). A failure between the gate and the exec (working
// directory, identity, the exec itself) comes through the fifo first, as the shim's JSON
// error line (native/shim/monitor.c init_setup, util.c report_error).
import { BerthError, errnoCode } from '../errors.js';
import { parseShimFailure, shimError } from '../native/index.js';
const { closeSync, constants, openSync, readSync } = process.getBuiltinModule('node:fs');

/**
 * Opens the exec fifo (the service execs) and waits until the init has passed the gate (its
 * byte is read) and then until the service has exec'd (the fifo's end). `alive` tells
 * whether the init still runs; it is asked now and then, and a dead init is only "exited
 * before it started" when no byte came: a fast service (`true`) may write its byte and end
 * between a read that found nothing and that question. Rejects with the shim's error
 * (runtime/exec-not-found, runtime/exec-denied, runtime/syscall) when the exec failed.
 */
export async function passGate(id: string, fifo: string, alive: () => boolean): Promise<void> {
  let fd: number;
  try {
    fd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new BerthError('runtime/not-created', `container ${id} cannot be started: it is not in the created state`, { cause: err });
  }
  const buf = Buffer.alloc(4096);
  /** Bytes read (0: the end, or no writer yet), or -1 for none yet. */
  const read = (): number => {
    try {
      return readSync(fd, buf, 0, buf.length, null);
    } catch (err) {
      if (errnoCode(err) !== 'EAGAIN') throw err;
      return -1;
    }
  };
  let passed = false;
  let report = '';
  try {
    for (let i = 0; ; i++) {
      const n = read();
      if (n > 0) {
        report += buf.toString('utf8', passed ? 0 : 1, n);
        if (!passed) i = -1; // the exec follows in µs: spin again
        passed = true;
      } else if (n === 0 && passed) {
        break; // the exec closed the fifo, or the init reported and ended
      } else if (!passed && i % 64 === 63 && !alive()) {
        // read again after seeing the init gone: its byte may have come after the read above
        const last = read();
        if (last > 0) {
          report += buf.toString('utf8', 1, last);
          passed = true;
          continue;
        }
        throw new BerthError('runtime/not-running', `container ${id} exited before it started`);
      }
      // setTimeout(0) is >= 1 ms in Node: spin on setImmediate first, the byte comes in µs
      if (n <= 0) await new Promise((r) => (i < 200 ? setImmediate(r) : setTimeout(r, 1)));
    }
  } finally {
    closeSync(fd);
  }
  const failure = report
    .split('\n')
    .map(parseShimFailure)
    .find((f) => f !== undefined);
  if (failure) throw shimError(id, failure, failure.syscall === 'execve' ? EXEC_HINTS[failure.errno] : undefined);
}

/** What to do about an exec refused past the gate, by errno (the shim looked the file up before it: lookup.c). */
const EXEC_HINTS: Readonly<Record<number, string>> = {
  2: 'the file is there: its #! interpreter or its dynamic loader is missing from the image',
  13: "check the file's mode and owner against the user the container runs as, and that its mount allows exec",
};
