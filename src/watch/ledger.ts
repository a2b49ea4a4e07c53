/**
 * Every path synced into each service since watch started. berth's `restart` currently
 * recreates the container from its stored spec (a fresh writable layer, unlike Docker's
 * restart), so after a restart the watcher replays the ledger to put synced files back.
 */
import { makePlan, type SyncEntry, type WatchPlan } from './plan.js';

export class SyncLedger {
  readonly #byService = new Map<string, Map<string, SyncEntry>>();

  record(plan: WatchPlan): void {
    for (const s of plan.steps) {
      if (s.kind !== 'sync') continue;
      const m = this.#byService.get(s.service) ?? new Map<string, SyncEntry>();
      for (const e of s.entries) m.set(e.containerPath, e);
      this.#byService.set(s.service, m);
    }
  }

  /** Sync steps that restore what was synced into the restarted services. */
  replayAfterRestart(plan: WatchPlan): WatchPlan {
    const restarted = plan.steps.flatMap((s) => (s.kind === 'restart' ? s.services : []));
    return makePlan(restarted.flatMap((service) => {
      const m = this.#byService.get(service);
      if (!m || m.size === 0) return [];
      return [{ kind: 'sync' as const, service, entries: [...m.values()].sort((a, b) => (a.containerPath < b.containerPath ? -1 : 1)) }];
    }));
  }
}
