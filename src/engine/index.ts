/**
 * The engine (L4): observe -> plan -> execute for every compose verb, healthchecks,
 * restarts, the per-project supervisor. See README.md.
 *
 *   createEngine(env?, onEvent?) -> Engine (src/api)       the CLI's entry point
 *   createEngineWith({ ports, env })                         with injected seams (tests)
 *   planUp(desired, observed, options) / planDown(...)       pure plans with toString()
 */
import type { Engine, EventSink } from '../api/index.js';
import { createEngineWith } from './create-engine.js';
import { realPorts } from './real-ports.js';
import { enginePaths } from './paths.js';
import { ensureStateRoot } from '../util/berth-dirs.js';

export function createEngine(env: Readonly<Record<string, string | undefined>> = process.env, onEvent?: EventSink): Engine {
  const paths = enginePaths(env);
  try {
    ensureStateRoot(paths.root);
    ensureStateRoot(paths.run);
  } catch {
    // not root (e.g. `berth config`): whatever needs the state reports its own error
  }
  return createEngineWith({ ports: realPorts(env), env, ...(onEvent ? { onEvent } : {}) });
}

export { createEngineWith, engineContext, type EngineSetup } from './create-engine.js';
export type { EnginePorts, RuntimePort, ImagePort, NetworkPort } from './ports.js';
export { planUp, planDown, waitId, type PlanUpOptions, type PlanDownOptions } from './plan.js';
export type { Plan, Operation, Observed, ObservedContainer } from './plan-types.js';
export { desiredState, containerName, type Desired } from './desired.js';
export { configHash } from './config-hash.js';
export { enginePaths } from './paths.js';
export { engineInfo } from './info.js';
