/** The project a `--down`/`--ps` acts on: `-p`, else the compose file's name. */
import type { DeployOptions } from '../../api/index.js';
import { loadFromSource } from '../../api/index.js';

export async function swarmProjectName(options: Pick<DeployOptions, 'source'>): Promise<string> {
  if (options.source.projectName) return options.source.projectName.toLowerCase().replace(/[^a-z0-9_-]/g, '');
  return (await loadFromSource(options.source)).name;
}
