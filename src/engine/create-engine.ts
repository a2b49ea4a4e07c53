/** The Engine (src/api) over the seams: one method per verb. */
import type { Engine, EventSink } from '../api/index.js';
import type { EngineContext } from './context.js';
import { withSink } from './context.js';
import type { EnginePorts } from './ports.js';
import { enginePaths, projectDir } from './paths.js';
import { appendingSink } from './events-log.js';
import { up, converge } from './up.js';
import { down } from './down.js';
import { kill, pause, remove, restart, start, stop } from './verbs.js';
import { logs, ls, ps } from './query.js';
import { exec, run } from './oneoff.js';
import { events, images, port, stats, top, wait } from './inspect.js';
import { copy } from './copy.js';

export interface EngineSetup {
  readonly ports: EnginePorts;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly onEvent?: EventSink;
  readonly now?: () => number;
}

export function engineContext(setup: EngineSetup): EngineContext {
  const env = setup.env ?? process.env;
  return { ports: setup.ports, paths: enginePaths(env), env, emit: setup.onEvent ?? (() => undefined), now: setup.now ?? Date.now };
}

/** Every verb releases shared resources (the netlink session) when it ends. */
function closing(engine: Engine, ports: EnginePorts): Engine {
  const out: Record<string, unknown> = {};
  for (const [k, fn] of Object.entries(engine) as [string, (o: unknown) => Promise<unknown>][]) {
    out[k] = async (o: unknown) => {
      try {
        return await fn(o);
      } finally {
        await ports.network.close?.().catch(() => undefined);
      }
    };
  }
  return out as unknown as Engine;
}

export function createEngineWith(setup: EngineSetup): Engine {
  return closing(createEngineRaw(setup), setup.ports);
}

function createEngineRaw(setup: EngineSetup): Engine {
  const base = engineContext(setup);
  // every event that names a project is also appended to its events.jsonl (`berth events`)
  const c = (sink: EventSink | undefined): EngineContext => {
    const next = sink ?? base.emit;
    return withSink(base, (e) => {
      if ('project' in e) appendingSink(projectDir(base.paths, e.project))(e);
      next(e);
    });
  };
  return {
    up: (o) => up(c(o.onEvent), o),
    create: async (o) => {
      await converge(c(o.onEvent), { ...o, noStart: true });
    },
    down: (o) => down(c(o.onEvent), o),
    start: (o) => start(c(o.onEvent), o),
    stop: (o) => stop(c(o.onEvent), o),
    restart: (o) => restart(c(o.onEvent), o),
    kill: (o) => kill(c(o.onEvent), o),
    remove: (o) => remove(c(o.onEvent), o),
    pause: (o) => pause(c(o.onEvent), o, false),
    unpause: (o) => pause(c(o.onEvent), o, true),
    ps: (o) => ps(c(o.onEvent), o),
    logs: (o) => logs(c(o.onEvent), o),
    exec: (o) => exec(c(o.onEvent), o),
    run: (o) => run(c(o.onEvent), o),
    ls: (o) => ls(base, o),
    top: (o) => top(c(o.onEvent), o),
    port: (o) => port(c(o.onEvent), o),
    images: (o) => images(c(o.onEvent), o),
    wait: (o) => wait(c(o.onEvent), o),
    events: (o) => events(base, o),
    stats: (o) => stats(c(o.onEvent), o),
    cp: (o) => copy(base, o),
    scale: async (o) => {
      await converge(c(o.onEvent), { source: o.source, services: Object.keys(o.scale), scale: o.scale, detach: true, ...(o.noDeps ? { noDeps: true } : {}), ...(o.signal ? { signal: o.signal } : {}) });
    },
  };
}
