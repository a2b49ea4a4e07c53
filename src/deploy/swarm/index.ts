/** The swarm backend: the Docker Engine API over its unix socket (see docker-client.ts). */
export { deploySwarm, planSwarmDeploy } from './apply.js';
export { downSwarm } from './down.js';
export { psSwarm } from './ps.js';
export { desiredSwarm, serviceSpecOf } from './spec.js';
export { planSwarm } from './plan.js';
