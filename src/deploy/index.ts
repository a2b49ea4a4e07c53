/**
 * Deploy backends (L4, beside the engine): the compose project to Docker Swarm and to
 * Kubernetes. Takes the same typed Project from spec; never touches the local runtime.
 *
 *   createDeployer() -> Deployer   (explain, convert, plan, deploy, down, ps)
 *
 * The Kubernetes client and models, and the swarm client, are loaded only by the verbs
 * that use them.
 */
import type { ConvertedFile, ConvertOptions, Deployer, DeployTarget } from '../api/index.js';
import { loadFromSource } from '../api/index.js';
import { reportFidelity } from './fidelity.js';
import { loadForTarget } from './load.js';

export { reportFidelity, blocking } from './fidelity.js';

export function createDeployer(): Deployer {
  return {
    async explain(options) {
      const project = await loadFromSource(options.source);
      return reportFidelity(project, options.target);
    },
    async convert(options: ConvertOptions): Promise<readonly ConvertedFile[]> {
      const { project } = await loadForTarget({ source: options.source, target: 'kubernetes', ...(options.strict ? { strict: true } : {}) });
      const { manifests } = await import('./kubernetes/manifests.js');
      return manifests(project);
    },
    plan: async (options) => (await backendFor(options.target)).plan(options),
    deploy: async (options) => (await backendFor(options.target)).deploy(options),
    down: async (options) => (await backendFor(options.target)).down(options),
    ps: async (options) => (await backendFor(options.target)).ps(options),
  };
}

/** One target's verbs, loaded when a command first needs them (each pulls its own client). */
async function backendFor(target: DeployTarget): Promise<Pick<Deployer, 'plan' | 'deploy' | 'down' | 'ps'>> {
  if (target === 'kubernetes') {
    const k = await import('./kubernetes/deploy.js');
    return { plan: k.planKubernetes, deploy: k.deployKubernetes, down: k.downKubernetes, ps: k.psKubernetes };
  }
  const s = await import('./swarm/index.js');
  return { plan: s.planSwarmDeploy, deploy: s.deploySwarm, down: s.downSwarm, ps: s.psSwarm };
}
