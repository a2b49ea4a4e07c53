/** `berth deploy --to swarm --ps`: the tasks of the project's services. */
import type { DeployedTask, DeployOptions } from '../../api/index.js';
import { dockerClient, dockerSocket } from './docker-client.js';
import { observeSwarm } from './observe.js';
import { swarmProjectName } from './project-name.js';

interface Task {
  ID: string;
  Slot?: number;
  NodeID?: string;
  ServiceID: string;
  DesiredState: string;
  Status: { State: string; Err?: string };
}

export async function psSwarm(options: DeployOptions): Promise<DeployedTask[]> {
  const project = await swarmProjectName(options);
  const client = dockerClient(dockerSocket(options.source.env, options.dockerSocket), options.signal);
  const { services } = await observeSwarm(client, project);
  if (services.length === 0) return [];
  const tasks = (await client.call<Task[]>('GET', '/tasks', { query: { filters: JSON.stringify({ service: services.map((s) => s.id) }) } })) ?? [];
  const nameOf = new Map(services.map((s) => [s.id, s.name]));
  return tasks
    .map((t) => ({
      service: nameOf.get(t.ServiceID) ?? t.ServiceID,
      name: `${nameOf.get(t.ServiceID) ?? t.ServiceID}.${t.Slot ?? t.NodeID ?? t.ID.slice(0, 12)}`,
      state: t.Status.State,
      desired: t.DesiredState,
      ...(t.NodeID ? { node: t.NodeID.slice(0, 12) } : {}),
      ...(t.Status.Err ? { error: t.Status.Err } : {}),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.desired === 'running' ? -1 : 1));
}
