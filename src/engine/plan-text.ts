import type { Operation, Plan } from './plan-types.js';

/** One line per operation, in a deterministic topological order. */
export function describeOp(op: Operation): string {
  const why = op.reason ? ` (${op.reason})` : '';
  switch (op.kind) {
    case 'create-network':
      return `create network ${op.target}`;
    case 'bridge-network':
      return `bridge network ${op.target}`;
    case 'firewall-network':
      return `firewall network ${op.target}`;
    case 'network-removed':
      return `network ${op.target} removed`;
    case 'create-volume':
      return `create volume ${op.target}`;
    case 'remove-network':
      return `remove network ${op.target}`;
    case 'remove-volume':
      return `remove volume ${op.target}`;
    case 'wait':
      return `wait ${op.target} ${op.condition}${op.optional ? ' (optional)' : ''}`;
    case 'keep':
      return `keep ${op.target}${why}`;
    default:
      return `${op.kind} ${op.target}${why}`;
  }
}

/** Kahn's algorithm, ties broken by id, so the text is stable. */
export function topoOrder(ops: readonly Operation[]): Operation[] {
  const byId = new Map(ops.map((o) => [o.id, o]));
  const pending = new Map(ops.map((o) => [o.id, o.deps.filter((d) => byId.has(d)).length]));
  const dependents = new Map<string, string[]>();
  for (const o of ops) for (const d of o.deps) if (byId.has(d)) dependents.set(d, [...(dependents.get(d) ?? []), o.id]);
  const ready = ops.filter((o) => pending.get(o.id) === 0).map((o) => o.id);
  const out: Operation[] = [];
  while (ready.length > 0) {
    ready.sort();
    const id = ready.shift()!;
    out.push(byId.get(id)!);
    for (const dep of dependents.get(id) ?? []) {
      const left = pending.get(dep)! - 1;
      pending.set(dep, left);
      if (left === 0) ready.push(dep);
    }
  }
  return out;
}

export function planToString(ops: readonly Operation[], warnings: readonly string[]): string {
  const byId = new Map(ops.map((o) => [o.id, o]));
  const lines = topoOrder(ops).map((op) => {
    const after = op.deps
      .filter((d) => byId.has(d))
      .map((d) => describeOp(byId.get(d)!))
      .sort();
    return after.length > 0 ? `${describeOp(op)} <- ${after.join(', ')}` : describeOp(op);
  });
  return [...warnings.map((w) => `warning: ${w}`), ...lines].join('\n');
}

export function makePlan(operations: readonly Operation[], warnings: readonly string[] = []): Plan {
  return {
    operations,
    warnings,
    toString: () => planToString(operations, warnings),
  };
}
