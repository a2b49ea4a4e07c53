/** The file-watching seam: chokidar in production, a fake in tests. */
import { watch } from 'chokidar';

export interface FileWatcherHandlers {
  /** Whether a path can never matter (not watched, no events). */
  readonly ignored: (path: string) => boolean;
  readonly onChange: (path: string) => void;
  readonly onError: (err: unknown) => void;
}

export interface FileWatcher {
  /** Resolves once the initial scan is done (events before it are not changes). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

export type FileWatcherFactory = (paths: readonly string[], handlers: FileWatcherHandlers) => FileWatcher;

export const chokidarWatcher: FileWatcherFactory = (paths, h) => {
  const w = watch([...paths], { ignoreInitial: true, ignored: (p: string) => h.ignored(p) });
  w.on('all', (_event, path) => h.onChange(path));
  w.on('error', (err) => h.onError(err));
  const ready = new Promise<void>((resolve) => w.once('ready', () => resolve()));
  return { ready, close: () => w.close() };
};
