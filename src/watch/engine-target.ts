/** The `WatchTarget` seam bound to an `Engine` (src/api): ps, exec with stdin, restart, rebuild (up --build, --prune: pruneReplaced). */
import type { Engine, EventSink, ProjectSource } from '../api/index.js';
import type { ExecResult, WatchTarget } from './apply.js';
import type { Writable as WritableStream } from 'node:stream';
const { Readable, Writable } = process.getBuiltinModule('node:stream');

function sink(): { stream: WritableStream; text: () => string } {
  const chunks: Buffer[] = [];
  return {
    stream: new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(Buffer.from(c)), cb()) }),
    text: () => Buffer.concat(chunks).toString(),
  };
}

export function engineTarget(engine: Engine, source: ProjectSource, options: { onEvent?: EventSink } = {}): WatchTarget {
  return {
    async containers(service, signal) {
      const rows = await engine.ps({ source, services: [service], ...(signal ? { signal } : {}) });
      return rows
        .filter((r) => r.service === service && r.state === 'running')
        .map((r) => r.number)
        .sort((a, b) => a - b);
    },
    async exec(service, index, command, o): Promise<ExecResult> {
      const out = sink();
      const err = sink();
      const env = Object.entries(o.hook?.environment ?? {})
        .filter(([, v]) => v !== null)
        .map(([k, v]) => `${k}=${v}`);
      const code = await engine.exec({
        source,
        service,
        index,
        command,
        ...(o.hook?.user ? { user: o.hook.user } : {}),
        ...(o.hook?.working_dir ? { workdir: o.hook.working_dir } : {}),
        ...(env.length > 0 ? { env } : {}),
        ...(o.stdin ? { stdin: Readable.from([o.stdin]) } : {}),
        stdout: out.stream,
        stderr: err.stream,
        ...(o.signal ? { signal: o.signal } : {}),
      });
      return { code, stdout: out.text(), stderr: err.text() };
    },
    async restart(services, signal) {
      await engine.restart({ source, services, ...(signal ? { signal } : {}) });
    },
    async rebuild(services, signal, o = {}) {
      // compose's watch rebuild: build only these services, then recreate (forced) their containers
      await engine.up({
        ...(o.prune ? { pruneReplaced: true } : {}),
        source,
        services,
        build: true,
        noDeps: true,
        forceRecreate: true,
        detach: true,
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
        ...(signal ? { signal } : {}),
      });
    },
  };
}
