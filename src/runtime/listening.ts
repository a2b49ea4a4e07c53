// Which TCP ports a container's processes listen on, seen from its network namespace:
// /proc/<pid>/net/tcp and tcp6 of its pid 1 list that namespace's sockets (no setns needed).
import { containerPaths } from './layout.js';
import { isAlive, readStoredState } from './store.js';
import type { RuntimeContext } from './types.js';
const { readFile } = process.getBuiltinModule('node:fs/promises');

const LISTEN = '0A';

/** Local ports of the LISTEN rows of a /proc/net/tcp{,6} table. */
export function parseListening(table: string): number[] {
  const ports: number[] = [];
  for (const line of table.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols[3] !== LISTEN) continue;
    const port = Number.parseInt(cols[1]?.split(':')[1] ?? '', 16);
    if (Number.isInteger(port)) ports.push(port);
  }
  return ports;
}

/** The TCP ports listened on in the container's network namespace; undefined when it does not run. */
export async function listeningPorts(rt: RuntimeContext, id: string): Promise<ReadonlySet<number> | undefined> {
  const st = readStoredState(containerPaths(rt, id).state);
  if (!st || !isAlive(st) || !st.pid) return undefined;
  const tables = await Promise.all(['tcp', 'tcp6'].map((t) => readFile(`/proc/${st.pid}/net/${t}`, 'utf8').catch(() => '')));
  return new Set(tables.flatMap(parseListening));
}
