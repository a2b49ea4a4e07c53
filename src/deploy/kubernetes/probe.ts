/** healthcheck -> a probe; depends_on -> initContainers that wait for the dependency's Service. */
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { Healthcheck, Project } from '../../spec/index.js';
import { kubeName } from './names.js';
import { servicePorts } from './service.js';

/** The image the wait-for initContainers run (only sh, nc and nslookup are used). */
export const WAIT_IMAGE = 'busybox:1.36';

const seconds = (ns: number | undefined, fallback: number): number => (ns === undefined ? fallback : Math.max(1, Math.round(ns / 1e9)));

/** The probe for a compose healthcheck, or undefined (none, NONE, disabled). */
export function probeOf(hc: Healthcheck | undefined): IProbe | undefined {
  const test = hc?.test;
  if (!hc || hc.disable || !test || test.length === 0 || test[0] === 'NONE') return undefined;
  const command = test[0] === 'CMD-SHELL' ? ['/bin/sh', '-c', test.slice(1).join(' ')] : test[0] === 'CMD' ? test.slice(1) : [...test];
  return {
    exec: { command: [...command] },
    periodSeconds: seconds(hc.interval, 30),
    timeoutSeconds: seconds(hc.timeout, 30),
    failureThreshold: hc.retries ?? 3,
    ...(hc.start_period !== undefined ? { initialDelaySeconds: Math.round(hc.start_period / 1e9) } : {}),
  };
}

/**
 * One initContainer per dependency: waits until its Service answers on its first port, or,
 * for a headless Service without ports, until its name resolves (a headless Service's name
 * resolves once a pod behind it is ready).
 */
export function waitContainersOf(project: Project, service: string): IContainer[] {
  const deps = Object.keys(project.services[service]?.depends_on ?? {})
    .filter((d) => project.services[d] !== undefined)
    .sort();
  return deps.map((dep) => {
    const host = kubeName(dep);
    const port = servicePorts(project.services[dep]!)[0];
    const check = port ? `nc -z -w 2 ${host} ${port.port}` : `nslookup ${host}`;
    return {
      name: kubeName(`wait-for-${dep}`),
      image: WAIT_IMAGE,
      command: ['/bin/sh', '-c', `until ${check} >/dev/null 2>&1; do echo waiting for ${host}; sleep 2; done`],
    };
  });
}
