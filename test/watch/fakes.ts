// A fake WatchTarget (records calls, unpacks synced archives into a map) and a fake file watcher.
import { Readable } from 'node:stream';
import type { WatchTarget, ExecResult } from '../../src/watch/apply.js';
import type { FileWatcherFactory, FileWatcherHandlers } from '../../src/watch/file-watcher.js';
import { readTar } from '../../src/image/tar-reader.js';

export interface FakeTarget extends WatchTarget {
  readonly calls: string[];
  /** Container path -> file content (or '<dir>'), per `service#index`. */
  readonly files: Map<string, string>;
  replicas: Record<string, number[]>;
  failExec?: boolean;
  failRebuild?: boolean;
}

export function fakeTarget(replicas: Record<string, number[]> = { web: [1] }): FakeTarget {
  const t: FakeTarget = {
    calls: [],
    files: new Map(),
    replicas,
    async containers(service) {
      return t.replicas[service] ?? [];
    },
    async exec(service, index, command, o): Promise<ExecResult> {
      t.calls.push(`exec ${service}#${index} ${command.join(' ')}`);
      if (t.failExec) return { code: 1, stdout: '', stderr: 'boom' };
      if (command[0] === 'rm') for (const p of command.slice(3)) t.files.delete(`${service}#${index}:${p}`);
      if (command[0] === 'tar' && o.stdin) {
        for await (const e of readTar(Readable.from([o.stdin]))) {
          const chunks: Buffer[] = [];
          if (e.type === 'file') for await (const c of e.body()) chunks.push(c);
          t.files.set(`${service}#${index}:/${e.name.replace(/\/$/, '')}`, e.type === 'directory' ? '<dir>' : Buffer.concat(chunks).toString());
        }
      }
      return { code: 0, stdout: command[0] === 'sh' ? 'reloaded\n' : '', stderr: '' };
    },
    async restart(services) {
      t.calls.push(`restart ${services.join(',')}`);
    },
    async rebuild(services, _signal, o = {}) {
      t.calls.push(`rebuild ${services.join(',')}${o.prune ? ' (prune)' : ''}`);
      if (t.failRebuild) throw new Error('build step 2 failed');
    },
  };
  return t;
}

export interface FakeWatcher {
  readonly factory: FileWatcherFactory;
  handlers(): FileWatcherHandlers;
  paths(): readonly string[];
  closed(): boolean;
}

export function fakeWatcher(): FakeWatcher {
  let h: FileWatcherHandlers | undefined;
  let watched: readonly string[] = [];
  let closed = false;
  return {
    factory: (paths, handlers) => {
      h = handlers;
      watched = paths;
      return { ready: Promise.resolve(), close: async () => void (closed = true) };
    },
    handlers: () => h!,
    paths: () => watched,
    closed: () => closed,
  };
}
