// Shims started by this process: their exit arrives on the sync socket (no polling).
import type { ChildProcess } from 'node:child_process';
import type { ShimFailure } from '../native/index.js';
import type { StoredExit } from './store.js';

export interface ShimHandle {
  readonly child: ChildProcess;
  /** The container's exit (the shim's message; the shim may still be cleaning up). */
  readonly exited: Promise<StoredExit>;
  /** The shim process itself has ended. */
  readonly gone: Promise<void>;
  /** The last structured error the shim or the container init reported. */
  failure: ShimFailure | undefined;
  /** The shim reported the exit: exit.json and the log are complete (only autoremove may follow). */
  reported?: boolean;
}

export const handles = new Map<string, ShimHandle>();
