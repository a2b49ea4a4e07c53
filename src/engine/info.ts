/** `berth info`: what this host gives berth (cgroup version, networking backends, roots). */
import type { EngineContext } from './context.js';
import type { EngineInfo } from '../api/index.js';
import { describe } from '../errors.js';
const { existsSync, readFileSync } = process.getBuiltinModule('node:fs');
const { release } = process.getBuiltinModule('node:os');

export type { EngineInfo } from '../api/index.js';

export function detectCgroups(root = '/sys/fs/cgroup'): string {
  if (existsSync(`${root}/cgroup.controllers`)) return 'v2 (unified)';
  if (existsSync(`${root}/unified`)) {
    let ctrls = '';
    try {
      ctrls = readFileSync(`${root}/unified/cgroup.controllers`, 'utf8').trim();
    } catch {
      // unreadable
    }
    return `v1 (hybrid, v2 at ${root}/unified${ctrls ? ` with ${ctrls}` : ', no controllers'})`;
  }
  return 'v1';
}

export async function engineInfo(ctx: EngineContext): Promise<EngineInfo> {
  const states = await ctx.ports.runtime.list().catch(() => []);
  let network: Readonly<Record<string, string | boolean>>;
  try {
    network = await ctx.ports.network.info();
  } catch (err) {
    network = { error: describe(err) };
  }
  return {
    stateRoot: ctx.paths.root,
    runDir: ctx.paths.run,
    cgroupVersion: detectCgroups(ctx.env.BERTH_CGROUP_ROOT ?? '/sys/fs/cgroup'),
    kernel: release(),
    network,
    containers: { total: states.length, running: states.filter((s) => s.status === 'running').length },
  };
}
