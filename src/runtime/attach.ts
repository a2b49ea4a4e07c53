// attachContainer: the container's output as it is written, until the container exits;
// then its exit status (Docker's `attach`, non-interactive). The shim's log is the source:
// it is followed through an open fd, so a size rotation (rename to <log>.1) loses nothing,
// and once the exit is recorded (the shim writes exit.json after its last log line) the
// rest is read and the follower ends.
import { isBerthError } from '../errors.js';
import { containerPaths } from './layout.js';
import { parseLogLine } from './logs.js';
import { requireStored } from './state.js';
import type { ExitStatus, LogLine, RuntimeContext } from './types.js';
import { waitContainer } from './wait.js';
const { closeSync, fstatSync, openSync, readSync, statSync } = process.getBuiltinModule('node:fs');

const POLL_MS = 50;

export interface AttachOptions {
  readonly onLine: (line: LogLine) => void;
  /** Follow from the start of the current log (a run started just now) instead of its end. */
  readonly fromStart?: boolean;
  /** Stops following: rejects with the signal's reason; the container keeps running. */
  readonly signal?: AbortSignal;
  /**
   * The exit status when the container was removed before its exit file could be read (an
   * auto-remove container): see startAttached.
   */
  readonly exitOfRemoved?: () => ExitStatus | undefined;
  /**
   * The log, opened before the start by the caller (startAttached): an auto-remove container
   * that ends at once is removed with its log before this function runs.
   */
  readonly heldLog?: number;
}

export async function attachContainer(rt: RuntimeContext, id: string, opts: AttachOptions): Promise<ExitStatus> {
  if (opts.heldLog === undefined) requireStored(rt, id); // else it may be gone already: see heldLog
  const file = containerPaths(rt, id).log;
  let fd: number | undefined;
  let ino = 0;
  let offset = 0;
  let rest = '';
  const buf = Buffer.alloc(65536);
  const openLog = (fromEnd: boolean): void => {
    try {
      fd = openSync(file, 'r');
      const st = fstatSync(fd);
      ino = st.ino;
      offset = fromEnd ? st.size : 0;
    } catch {
      fd = undefined; // not there yet (a run being created)
    }
  };
  const drain = (): void => {
    for (;;) {
      if (fd === undefined) openLog(false);
      if (fd === undefined) return;
      let n: number;
      while ((n = readSync(fd, buf, 0, buf.length, offset)) > 0) {
        offset += n;
        rest += buf.subarray(0, n).toString();
      }
      const parts = rest.split('\n');
      rest = parts.pop() ?? '';
      for (const p of parts) {
        const l = parseLogLine(p);
        if (l) opts.onLine(l);
      }
      // rotated: ours is read to its end, go on with the new file from its start
      let now: number | undefined;
      try {
        now = statSync(file).ino;
      } catch {
        now = undefined;
      }
      if (now === undefined || now === ino) return;
      if (fd !== opts.heldLog) closeSync(fd); // the caller closes the held one
      fd = undefined;
      rest = '';
    }
  };
  if (opts.heldLog === undefined) openLog(!opts.fromStart);
  else {
    fd = opts.heldLog;
    ino = fstatSync(fd).ino;
  }
  let status: ExitStatus | undefined;
  let failed: unknown;
  const exited = waitContainer(rt, id, opts.signal ? { signal: opts.signal } : {}).then(
    (s) => void (status = s),
    (err: unknown) => void (failed = err ?? new Error('wait failed')),
  );
  try {
    while (status === undefined && failed === undefined) {
      drain();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, POLL_MS)))]);
      clearTimeout(timer);
    }
    if (failed !== undefined) {
      status = isBerthError(failed) && failed.code === 'runtime/not-found' ? opts.exitOfRemoved?.() : undefined;
      if (!status) throw failed;
    }
    drain();
    return status!;
  } finally {
    if (fd !== undefined && fd !== opts.heldLog) closeSync(fd);
  }
}
