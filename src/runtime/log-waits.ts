// A log follower's waits on the clock: a pace is a timer; an idle wait also ends at the first
// write to the file (inotify), so a quiet service's line is read as it comes, not at the next poll.
const { watch } = process.getBuiltinModule('node:fs');
import type { FSWatcher } from 'node:fs';

export interface LogWaits {
  /** Resolves after `ms`; an `idle` wait (the follower has read all there is) resolves earlier when the file is written. */
  readonly wait: (ms: number, idle: boolean) => Promise<void>;
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
  const arm = (): void => {
    if (watcher) return;
    try {
      // not persistent: the wait's timer keeps the process alive, never the watch
      watcher = watch(file, { persistent: false }, (type) => {
        // moved away (rotated) or removed: the next idle wait watches the file now at the path
        if (type === 'rename') unwatch();
        wake?.();
      });
      watcher.on('error', unwatch);
    } catch {
      // not there yet: the timer polls
    }
  };
  return {
    wait: (ms, idle) =>
      new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        };
        const timer = setTimeout(done, ms);
        if (idle) {
          arm();
          wake = done;
        }
      }),
    close() {
      wake = undefined;
      unwatch();
    },
  };
}
