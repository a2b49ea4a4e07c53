/** The swarm backend (Docker Engine API over its unix socket). */
import type { DeployedTask, DeployOptions } from '../../api/index.js';
import { BerthError } from '../../errors.js';

const notYet = (): never => {
  throw new BerthError('deploy/unsupported', 'berth deploy --to swarm is not available yet');
};
export async function deploySwarm(_options: DeployOptions): Promise<void> {
  notYet();
}
export async function downSwarm(_options: DeployOptions): Promise<void> {
  notYet();
}
export async function psSwarm(_options: DeployOptions): Promise<DeployedTask[]> {
  return notYet();
}
