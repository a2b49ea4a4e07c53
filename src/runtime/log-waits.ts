// A log follower's waits on the clock: a pace is a timer; an idle wait also ends at the first
// write to the file (inotify), so a quiet service's line is read as it comes, not at the next poll.
// A watch starts with an idle wait and ends at the file's next write; a write between the
// follower's last look and the watch's start is seen by comparing the size the follower saw.
const { watch, statSync } = process.getBuiltinModule('node:fs');
import type { FSWatcher } from 'node:fs';

export interface LogWaits {
  /**
   * Resolves after `ms`; an `idle` wait (the follower has read all there is: `size` bytes)
   * resolves earlier when the file is written.
   */
  readonly wait: (ms: number, idle: boolean, size?: number) => Promise<void>;
  /** Stops watching the file. */
  close(): void;
}

export function logWaits(file: string): LogWaits {
  let watcher: FSWatcher | undefined;
  let wake: (() => void) | undefined;
  const unwatch = (): void => {
    watcher?.close();
    watcher = undefined;
  };
  /** Watches the file (if not yet); false when it is no longer `size` bytes: written meanwhile. */
  const arm = (size: number | undefined): boolean => {
    if (watcher) return true;
    try {
      // not persistent: the wait's timer keeps the process alive, never the watch
      watcher = watch(file, { persistent: false }, () => {
        // written (or moved away: rotated): the follower reads now and paces itself while the
        // file grows, so the watch ends here and the next idle wait starts one (on the file then
        // at the path). A watch kept on a busy file would wake this process at every write
        unwatch();
        wake?.();
      });
      watcher.on('error', unwatch);
      return size === undefined || statSync(file).size === size;
    } catch {
      // not there yet: the timer polls
      return true;
    }
  };
  return {
    wait: (ms, idle, size) =>
      new Promise<void>((resolve) => {
        if (idle && !arm(size)) {
          resolve();
          return;
        }
        const done = (): void => {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        };
        const timer = setTimeout(done, ms);
        if (idle) wake = done;
      }),
    close() {
      wake = undefined;
      unwatch();
    },
  };
}
