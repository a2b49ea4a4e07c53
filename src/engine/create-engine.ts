/** The Engine (src/api) over the seams: one method per verb. */
import type { Engine, EventSink } from '../api/index.js';
import type { EngineContext } from './context.js';
import { withSink } from './context.js';
import type { EnginePorts } from './ports.js';
import type { OperationHook } from './execute-dag.js';
import { enginePaths, projectDir } from './paths.js';
import { appendingSink } from './events-log.js';
import { trace } from '../util/trace.js';
import { systemClock, type Clock } from '../util/clock.js';

export interface EngineSetup {
  readonly ports: EnginePorts;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly onEvent?: EventSink;
  readonly now?: () => number;
  /** The clock `now` and the supervisor's waits run on (tests pass a fake; default: the system's). */
  readonly clock?: Clock;
  readonly onOperation?: OperationHook;
}

export function engineContext(setup: EngineSetup): EngineContext {
  const env = setup.env ?? process.env;
  const clock = setup.clock ?? systemClock;
  return {
    ports: setup.ports,
    paths: enginePaths(env),
    env,
    emit: setup.onEvent ?? (() => undefined),
    now: setup.now ?? clock.now,
    sleep: clock.sleep,
    ...(setup.onOperation ? { onOperation: setup.onOperation } : {}),
  };
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
        trace('engine: network session closed');
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
  const c = (o: { onEvent?: EventSink | undefined; source?: { parallel?: number | undefined } }): EngineContext => {
    const next = o.onEvent ?? base.emit;
    const parallel = o.source?.parallel;
    return withSink(parallel !== undefined ? { ...base, parallel } : base, (e) => {
      if ('project' in e) appendingSink(projectDir(base.paths, e.project))(e);
      next(e);
    });
  };
  // verbs are loaded on first use: a command pays only for the modules it needs
  const upM = () => import('./up.js');
  const verbsM = () => import('./verbs.js');
  const queryM = () => import('./query.js');
  const inspectM = () => import('./inspect.js');
  const oneoffM = () => import('./oneoff.js');
  return {
    up: async (o) => (await upM()).up(c(o), o),
    create: async (o) => {
      await (await upM()).converge(c(o), { ...o, noStart: true });
    },
    down: async (o) => (await import('./down.js')).down(c(o), o),
    planUp: async (o) => (await upM()).planUpText(c(o), o),
    planDown: async (o) => (await import('./down.js')).planDownText(c(o), o),
    start: async (o) => (await import('./start.js')).start(c(o), o),
    planVerb: async (o) => (await import('./plan-verbs.js')).planVerbText(c(o), o),
    stop: async (o) => (await verbsM()).stop(c(o), o),
    restart: async (o) => (await verbsM()).restart(c(o), o),
    kill: async (o) => (await verbsM()).kill(c(o), o),
    remove: async (o) => (await verbsM()).remove(c(o), o),
    pause: async (o) => (await verbsM()).pause(c(o), o, false),
    unpause: async (o) => (await verbsM()).pause(c(o), o, true),
    ps: async (o) => (await queryM()).ps(c(o), o),
    logs: async (o) => (await queryM()).logs(c(o), o),
    exec: async (o) => (await oneoffM()).exec(c(o), o),
    run: async (o) => (await oneoffM()).run(c(o), o),
    ls: async (o) => (await queryM()).ls(base, o),
    top: async (o) => (await inspectM()).top(c(o), o),
    port: async (o) => (await inspectM()).port(c(o), o),
    images: async (o) => (await inspectM()).images(c(o), o),
    wait: async (o) => (await inspectM()).wait(c(o), o),
    events: async (o) => (await inspectM()).events(base, o),
    stats: async (o) => (await inspectM()).stats(c(o), o),
    cp: async (o) => (await import('./copy.js')).copy(base, o),
    attach: async (o) => (await import('./service-io.js')).attach(base, o),
    export: async (o) => (await import('./service-io.js')).exportContainer(base, o),
    volumes: async (o) => (await queryM()).volumes(c(o), o),
    pull: async (o) => (await import('./pull.js')).pull(c(o), o),
    push: async (o) => (await import('./push.js')).push(c(o), o),
    build: async (o) => (await import('./build.js')).build(c(o), o),
    info: async () => (await import('./info.js')).engineInfo(base),
    // status snapshots go to the caller only (not to events.jsonl)
    monitor: async (o) => (await import('./monitor.js')).monitor(withSink(base, o.onEvent), o),
    scale: async (o) => {
      await (
        await upM()
      ).converge(c(o), { source: o.source, services: Object.keys(o.scale), scale: o.scale, detach: true, ...(o.noDeps ? { noDeps: true } : {}), ...(o.signal ? { signal: o.signal } : {}) });
    },
  };
}
