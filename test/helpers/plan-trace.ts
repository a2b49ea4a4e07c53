// The printed plan against what was executed: `--dry-run`'s text (`op <- dep, dep`) and a
// trace of `start <op>` / `done <op>` lines (the engine's onOperation hook, or BERTH_TRACE=1).

export interface PlanLine {
  readonly op: string;
  readonly deps: readonly string[];
}

/** The operation lines of a printed plan (warnings and image notes are not operations). */
export function parsePlan(text: string): PlanLine[] {
  return text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('warning: ') && !l.startsWith('before the plan: '))
    .map((l) => {
      const [op = '', deps] = l.split(' <- ');
      return { op, deps: deps ? deps.split(', ') : [] };
    });
}

/** `berth-trace 123.4 op create p-a-1 (new)` / `... done` -> `start ...` / `done ...`. */
export function traceFromStderr(stderr: string): string[] {
  return stderr.split('\n').flatMap((l) => {
    const m = /^berth-trace [\d.]+ op (.*?)( done)?$/.exec(l);
    return m ? [`${m[2] ? 'done' : 'start'} ${m[1]}`] : [];
  });
}

/**
 * What is wrong with the trace for this plan: empty when exactly the plan's operations ran,
 * each once, each started only after all of its dependencies were done.
 */
export function traceProblems(planText: string, trace: readonly string[]): string[] {
  const plan = parsePlan(planText);
  const problems: string[] = [];
  const started = trace.filter((t) => t.startsWith('start ')).map((t) => t.slice(6));
  const planned = plan.map((p) => p.op);
  const missing = planned.filter((op) => !started.includes(op));
  const extra = started.filter((op) => !planned.includes(op));
  if (missing.length) problems.push(`planned, not executed: ${missing.join('; ')}`);
  if (extra.length) problems.push(`executed, not planned: ${extra.join('; ')}`);
  for (const op of new Set(started)) if (started.filter((s) => s === op).length > 1) problems.push(`executed twice: ${op}`);
  for (const { op, deps } of plan) {
    const at = trace.indexOf(`start ${op}`);
    for (const d of deps) {
      const done = trace.indexOf(`done ${d}`);
      if (at !== -1 && (done === -1 || done > at)) problems.push(`${op} started before ${d} was done`);
    }
  }
  return problems;
}
