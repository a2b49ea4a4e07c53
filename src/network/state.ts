// berth's network state on disk (the truth, never only memory):
//   networks/<name>.json                 NetworkRecord
//   networks/<name>.endpoints/<id>.json  Endpoint (one per attached container)
//   ipam/<name>/<ip>                     lease (content: container id), ipam/<name>/last
//   ports/<id>.json                      PublishedPort[]
//   networks/.lock                       subnet allocation + firewall regeneration
import { BerthError, errnoCode } from '../errors.js';
import type { Endpoint, NetworkRecord, PublishedPort } from './types.js';
import { STATE_ROOT_MODE } from '../util/state-roots.js';
const { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');

export const networksDir = (root: string): string => join(root, 'networks');
export const globalLock = (root: string): string => join(root, 'networks', '.lock');
export const recordPath = (root: string, name: string): string => join(root, 'networks', `${name}.json`);
export const endpointsDir = (root: string, name: string): string => join(root, 'networks', `${name}.endpoints`);
export const leaseDir = (root: string, name: string): string => join(root, 'ipam', name);
export const portsDir = (root: string): string => join(root, 'ports');

export function checkNetworkName(name: string): void {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name)) {
    throw new BerthError('network/invalid-name', `network name "${name}" must match [a-zA-Z0-9][a-zA-Z0-9_.-]*`);
  }
}

/** Atomic JSON write (tmp + rename). */
export function writeJson(path: string, value: unknown): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, path);
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return undefined;
    throw new BerthError('network/state-corrupt', `cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
}

function listJson(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return [];
    throw e;
  }
}

export const readRecord = (root: string, name: string): NetworkRecord | undefined => readJson<NetworkRecord>(recordPath(root, name));

export function writeRecord(root: string, rec: NetworkRecord): void {
  mkdirSync(networksDir(root), { recursive: true, mode: STATE_ROOT_MODE });
  writeJson(recordPath(root, rec.name), rec);
}

export function listRecords(root: string): NetworkRecord[] {
  return listJson(networksDir(root)).flatMap((f) => readJson<NetworkRecord>(join(networksDir(root), f)) ?? []);
}

export function listEndpoints(root: string, network: string): Endpoint[] {
  const dir = endpointsDir(root, network);
  return listJson(dir).flatMap((f) => readJson<Endpoint>(join(dir, f)) ?? []);
}

export function writeEndpoint(root: string, ep: Endpoint): void {
  const dir = endpointsDir(root, ep.network);
  mkdirSync(dir, { recursive: true });
  writeJson(join(dir, `${ep.containerId}.json`), ep);
}

export function removeEndpoint(root: string, network: string, containerId: string): void {
  rmSync(join(endpointsDir(root, network), `${containerId}.json`), { force: true });
}

/** Every endpoint of a container, across networks. */
export function endpointsOf(root: string, containerId: string): Endpoint[] {
  return listRecords(root).flatMap((r) => listEndpoints(root, r.name).filter((e) => e.containerId === containerId));
}

export function readPorts(root: string, containerId: string): PublishedPort[] {
  return readJson<PublishedPort[]>(join(portsDir(root), `${containerId}.json`)) ?? [];
}

export function writePorts(root: string, containerId: string, ports: readonly PublishedPort[]): void {
  mkdirSync(portsDir(root), { recursive: true });
  const path = join(portsDir(root), `${containerId}.json`);
  if (ports.length === 0) rmSync(path, { force: true });
  else writeJson(path, ports);
}

export function listAllPorts(root: string): PublishedPort[] {
  return listJson(portsDir(root)).flatMap((f) => readJson<PublishedPort[]>(join(portsDir(root), f)) ?? []);
}
