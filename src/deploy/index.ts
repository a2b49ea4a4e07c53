/**
 * Deploy backends (L4, beside the engine): the compose project to Docker Swarm and to
 * Kubernetes. Takes the same typed Project from spec; never touches the local runtime.
 *
 *   createDeployer() -> Deployer   (explain, convert, deploy, down, ps)
 *
 * The Kubernetes client and models, and the swarm client, are loaded only by the verbs
 * that use them.
 */
import type { ConvertedFile, ConvertOptions, Deployer } from '../api/index.js';
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
    async deploy(options) {
      if (options.target === 'kubernetes') return (await import('./kubernetes/deploy.js')).deployKubernetes(options);
      return (await swarm()).deploySwarm(options);
    },
    async plan(options) {
      if (options.target === 'kubernetes') return (await import('./kubernetes/deploy.js')).planKubernetes(options);
      return (await swarm()).planSwarmDeploy(options);
    },
    async down(options) {
      if (options.target === 'kubernetes') return (await import('./kubernetes/deploy.js')).downKubernetes(options);
      return (await swarm()).downSwarm(options);
    },
    async ps(options) {
      if (options.target === 'kubernetes') return (await import('./kubernetes/deploy.js')).psKubernetes(options);
      return (await swarm()).psSwarm(options);
    },
  };
}

async function swarm(): Promise<typeof import('./swarm/index.js')> {
  return import('./swarm/index.js');
}
