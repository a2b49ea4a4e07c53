// berth's network state on disk (the truth, never only memory):
//   networks/<name>.json                 NetworkRecord
//   networks/<name>.endpoints/<id>.json  Endpoint (one per attached container)
//   ipam/<name>/<ip>                     lease (content: container id), ipam/<name>/last
//   ports/<id>.json                      PublishedPort[]
//   networks/.lock                       subnet allocation + firewall regeneration
import { BerthError, errnoCode } from '../errors.js';
import type { Endpoint, NetworkRecord, PublishedPort } from './types.js';
import { STATE_ROOT_MODE } from '../util/berth-dirs.js';
import { hasFields, readJsonFile, writeJsonFile, type Shape } from '../util/json-file.js';
const { mkdirSync, readdirSync, rmSync } = process.getBuiltinModule('node:fs');
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

const writeJson = (path: string, value: NetworkRecord | Endpoint | readonly PublishedPort[]): void => writeJsonFile(path, value, { indent: 2 });

const isRecord = (v: unknown): v is NetworkRecord => hasFields(v, { name: 'string', project: 'string', bridge: 'string', subnet: 'string', gateway: 'string' });
const isEndpoint = (v: unknown): v is Endpoint => hasFields(v, { network: 'string', containerId: 'string', ifname: 'string', hostIfname: 'string', address: 'string' });
const isPorts = (v: unknown): v is PublishedPort[] => Array.isArray(v) && v.every((p) => hasFields(p, { hostPort: 'number', containerPort: 'number', protocol: 'string', containerId: 'string' }));
const readJson = <T>(path: string, shape: Shape<T>): T | undefined => readJsonFile(path, shape, 'network/state-corrupt');

function listJson(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return [];
    throw e;
  }
}

export const readRecord = (root: string, name: string): NetworkRecord | undefined => readJson(recordPath(root, name), isRecord);

export function writeRecord(root: string, rec: NetworkRecord): void {
  mkdirSync(networksDir(root), { recursive: true, mode: STATE_ROOT_MODE });
  writeJson(recordPath(root, rec.name), rec);
}

export function listRecords(root: string): NetworkRecord[] {
  return listJson(networksDir(root)).flatMap((f) => readJson(join(networksDir(root), f), isRecord) ?? []);
}

export function listEndpoints(root: string, network: string): Endpoint[] {
  const dir = endpointsDir(root, network);
  return listJson(dir).flatMap((f) => readJson(join(dir, f), isEndpoint) ?? []);
}

export function writeEndpoint(root: string, ep: Endpoint): void {
  const dir = endpointsDir(root, ep.network);
  mkdirSync(dir, { recursive: true });
  writeJson(join(dir, `${ep.containerId}.json`), ep);
}

export function readEndpoint(root: string, network: string, containerId: string): Endpoint | undefined {
  return readJson(join(endpointsDir(root, network), `${containerId}.json`), isEndpoint);
}

export function removeEndpoint(root: string, network: string, containerId: string): void {
  rmSync(join(endpointsDir(root, network), `${containerId}.json`), { force: true });
}

/** Every endpoint of a container, across networks. */
export function endpointsOf(root: string, containerId: string): Endpoint[] {
  return listRecords(root).flatMap((r) => listEndpoints(root, r.name).filter((e) => e.containerId === containerId));
}

export function readPorts(root: string, containerId: string): PublishedPort[] {
  return readJson(join(portsDir(root), `${containerId}.json`), isPorts) ?? [];
}

export function writePorts(root: string, containerId: string, ports: readonly PublishedPort[]): void {
  mkdirSync(portsDir(root), { recursive: true });
  const path = join(portsDir(root), `${containerId}.json`);
  if (ports.length === 0) rmSync(path, { force: true });
  else writeJson(path, ports);
}

export function listAllPorts(root: string): PublishedPort[] {
  return listJson(portsDir(root)).flatMap((f) => readJson(join(portsDir(root), f), isPorts) ?? []);
}
