/**
 * Dependency graph (L2): build, order, cycles, and the parallel up/down walker.
 */
export { buildGraph, serviceGraph, topologicalOrder, GraphCycleError, type DependencyGraph } from './graph.js';
export { findCycle } from '../util/find-cycle.js';
export { walkGraph, WalkError, DependencyFailedError, type WalkOptions, type WalkReport, type WalkFailure, type WalkDirection } from './walk.js';
