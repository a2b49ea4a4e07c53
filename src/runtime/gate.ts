// The exec fifo gate: `start` opens the fifo's read end, the init (waiting at the gate in
// the shim) opens the write end, writes one byte and execs the service.
import { BerthError, errnoCode } from '../errors.js';
const { closeSync, constants, openSync, readSync } = process.getBuiltinModule('node:fs');

/**
 * Opens the exec fifo (the service execs) and waits until the init has passed the gate (its
 * byte is read). `alive` tells whether the init still runs; it is asked now and then, and a
 * dead init is only "exited before it started" when no byte came: a fast service (`true`)
 * may write its byte and end between a read that found nothing and that question.
 */
export async function passGate(id: string, fifo: string, alive: () => boolean): Promise<void> {
  let fd: number;
  try {
    fd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new BerthError('runtime/not-created', `container ${id} cannot be started: it is not in the created state`, { cause: err });
  }
  // Hold the read end until the init has passed the gate (it writes one byte).
  const buf = Buffer.alloc(1);
  const passed = (): boolean => {
    try {
      return readSync(fd, buf, 0, 1, null) === 1;
    } catch (err) {
      if (errnoCode(err) !== 'EAGAIN') throw err;
      return false;
    }
  };
  try {
    for (let i = 0; ; i++) {
      if (passed()) return;
      if (i % 64 === 63 && !alive()) {
        // read again after seeing the init gone: its byte may have come after the read above
        if (passed()) return;
        throw new BerthError('runtime/not-running', `container ${id} exited before it started`);
      }
      // setTimeout(0) is >= 1 ms in Node: spin on setImmediate first, the byte comes in µs
      await new Promise((r) => (i < 200 ? setImmediate(r) : setTimeout(r, 1)));
    }
  } finally {
    closeSync(fd);
  }
}
