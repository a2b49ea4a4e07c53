/** The Engine (src/api) over the seams: one method per verb. */
import type { Engine, EventSink } from '../api/index.js';
import type { EngineContext } from './context.js';
import { withSink } from './context.js';
import type { EnginePorts } from './ports.js';
import { enginePaths } from './paths.js';
import { up, converge } from './up.js';
import { down } from './down.js';
import { kill, pause, remove, restart, start, stop } from './verbs.js';
import { logs, ls, ps } from './query.js';
import { exec, run } from './oneoff.js';

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

export function createEngineWith(setup: EngineSetup): Engine {
  const base = engineContext(setup);
  const c = (sink: EventSink | undefined): EngineContext => withSink(base, sink);
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
  };
}
