/** What the swarm holds of a project: its services, networks, secrets and configs (by the stack label). */
import { SwarmLabels } from '../labels.js';
import { labelFilter, type DockerClient } from './docker-client.js';
import { SPEC_HASH_LABEL, type Json } from './spec.js';

export interface ObservedService {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly hash: string | undefined;
  readonly spec: Json;
  readonly updateState: string | undefined;
}

export interface ObservedObject {
  readonly id: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface SwarmObserved {
  readonly services: readonly ObservedService[];
  readonly networks: readonly ObservedObject[];
  readonly secrets: readonly ObservedObject[];
  readonly configs: readonly ObservedObject[];
}

interface ApiService {
  ID: string;
  Version: { Index: number };
  Spec: Json & { Name: string; Labels?: Record<string, string> };
  UpdateStatus?: { State?: string; Message?: string };
}

export function toObservedService(s: ApiService): ObservedService {
  return { id: s.ID, name: s.Spec.Name, version: s.Version.Index, hash: s.Spec.Labels?.[SPEC_HASH_LABEL], spec: s.Spec, updateState: s.UpdateStatus?.State };
}

export async function observeSwarm(client: DockerClient, project: string): Promise<SwarmObserved> {
  const q = labelFilter(SwarmLabels.namespace, project);
  const [services, networks, secrets, configs] = await Promise.all([
    client.call<ApiService[]>('GET', '/services', { query: q }),
    client.call<{ Id: string; Name: string; Labels?: Record<string, string> }[]>('GET', '/networks', { query: q }),
    client.call<{ ID: string; Spec: { Name: string; Labels?: Record<string, string> } }[]>('GET', '/secrets', { query: q }),
    client.call<{ ID: string; Spec: { Name: string; Labels?: Record<string, string> } }[]>('GET', '/configs', { query: q }),
  ]);
  const files = (list: { ID: string; Spec: { Name: string; Labels?: Record<string, string> } }[] | undefined): ObservedObject[] =>
    (list ?? []).map((f) => ({ id: f.ID, name: f.Spec.Name, labels: f.Spec.Labels ?? {} })).sort((a, b) => (a.name < b.name ? -1 : 1));
  return {
    services: (services ?? []).map(toObservedService).sort((a, b) => (a.name < b.name ? -1 : 1)),
    networks: (networks ?? []).map((n) => ({ id: n.Id, name: n.Name, labels: n.Labels ?? {} })).sort((a, b) => (a.name < b.name ? -1 : 1)),
    secrets: files(secrets),
    configs: files(configs),
  };
}
