/** Loading the project for a target, refusing what the fidelity report refuses. */
import type { DeployOptions, FidelityReport } from '../api/index.js';
import { loadFromSource } from '../api/index.js';
import { BerthError } from '../errors.js';
import type { Project } from '../spec/index.js';
import { blocking, reportFidelity } from './fidelity.js';

/** Loads the project and refuses it when a key is refused (or, with strict, not exact). */
export async function loadForTarget(options: Pick<DeployOptions, 'source' | 'target' | 'strict' | 'onEvent'>): Promise<{ project: Project; report: FidelityReport }> {
  const project = await loadFromSource(options.source, (message) => options.onEvent?.({ kind: 'warning', time: Date.now(), message }));
  const report = reportFidelity(project, options.target);
  const stop = blocking(report, options.strict === true);
  if (stop.length > 0) {
    const first = stop[0]!;
    throw new BerthError('deploy/refused', `${first.path}: ${first.verdict} on ${options.target}${first.note ? ` (${first.note})` : ''}`, {
      hint: stop.length > 1 ? `${stop.length - 1} more; see berth deploy --to ${options.target} --explain` : `see berth deploy --to ${options.target} --explain`,
      details: { keys: stop.map((e) => e.path) },
    });
  }
  return { project, report };
}
