// Read-only views for `berth network ls|inspect` and the engine's observe step.
import { listLeases } from './ipam/leases.js';
import { listEndpoints, listRecords, readRecord } from './state.js';
import type { Endpoint, NetworkContext, NetworkRecord } from './types.js';

export interface NetworkView {
  readonly record: NetworkRecord;
  readonly endpoints: readonly Endpoint[];
  readonly leases: ReadonlyMap<string, string>;
}

export function listNetworks(ctx: NetworkContext, project?: string): NetworkRecord[] {
  return listRecords(ctx.root).filter((r) => project === undefined || r.project === project);
}

export function inspectNetwork(ctx: NetworkContext, name: string): NetworkView | undefined {
  const record = readRecord(ctx.root, name);
  if (!record) return undefined;
  return { record, endpoints: listEndpoints(ctx.root, name), leases: listLeases(ctx.root, name) };
}
