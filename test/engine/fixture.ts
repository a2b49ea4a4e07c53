// Builds typed Projects by hand for the engine's pure tests (no loader needed).
import type { Project, Service } from '../../src/spec/index.js';
import type { ObservedContainer, Observed } from '../../src/engine/plan-types.js';

export function svc(name: string, extra: Partial<Service> = {}): Service {
  return { name, image: 'busybox:1.36', environment: {}, ...extra } as Service;
}

export function project(name: string, services: Service[], extra: Partial<Project> = {}): Project {
  return {
    name,
    workingDir: '/tmp/x',
    composeFiles: ['/tmp/x/compose.yaml'],
    profiles: [],
    services: Object.fromEntries(services.map((s) => [s.name, s])),
    disabledServices: {},
    networks: { default: { name: `${name}_default` } },
    volumes: {},
    secrets: {},
    configs: {},
    environment: {},
    ...extra,
  };
}

export function dep(condition: 'service_started' | 'service_healthy' | 'service_completed_successfully', required = true) {
  return { condition, restart: false, required };
}

export function observed(containers: ObservedContainer[] = [], networks: string[] = [], imageIds: Record<string, string> = {}): Observed {
  return { containers, networks: new Set(networks), volumes: new Set(), imageIds: new Map(Object.entries(imageIds)) };
}

export function running(name: string, service: string, number: number, hash: string, extra: Partial<ObservedContainer> = {}): ObservedContainer {
  return { id: name, name, service, number, hash, imageId: undefined, status: 'running', oneoff: false, dependsOn: [], ...extra };
}
