/**
 * compose `post_start` and `pre_stop`: commands run inside the container (an exec) right
 * after it starts and right before it is stopped. Resolved when the spec is made (the user
 * from the image's files), stored with it, run by startCreated / stopContainer.
 */
import type { Service, ServiceHook } from '../spec/index.js';
import type { UserSpec } from '../runtime/index.js';
import { BerthError, describe } from '../errors.js';
import type { EngineContext } from './context.js';
import { resolveUserSpec } from './user.js';

export interface HookExec {
  readonly args: readonly string[];
  readonly env?: readonly string[];
  readonly cwd?: string;
  readonly user?: UserSpec;
  readonly privileged?: boolean;
}

export interface ServiceHooks {
  readonly postStart?: readonly HookExec[];
  readonly preStop?: readonly HookExec[];
}

function hookExec(hook: ServiceHook, layerDirs: readonly string[], service: string): HookExec {
  const user = hook.user !== undefined ? resolveUserSpec(hook.user, layerDirs, service) : undefined;
  const env = Object.entries(hook.environment ?? {}).flatMap(([k, v]) => (v === null ? [] : [`${k}=${v}`]));
  return {
    args: hook.command,
    ...(env.length > 0 ? { env } : {}),
    ...(hook.working_dir ? { cwd: hook.working_dir } : {}),
    ...(user ? { user } : {}),
    ...(hook.privileged ? { privileged: true } : {}),
  };
}

export function serviceHooks(service: Pick<Service, 'name' | 'post_start' | 'pre_stop'>, layerDirs: readonly string[]): ServiceHooks | undefined {
  const postStart = (service.post_start ?? []).map((h) => hookExec(h, layerDirs, service.name));
  const preStop = (service.pre_stop ?? []).map((h) => hookExec(h, layerDirs, service.name));
  if (postStart.length === 0 && preStop.length === 0) return undefined;
  return { ...(postStart.length ? { postStart } : {}), ...(preStop.length ? { preStop } : {}) };
}

/** Runs the hooks in order; the first that fails (or exits non-zero) is the error. */
export async function runHooks(ctx: EngineContext, id: string, hooks: readonly HookExec[] | undefined, what: string): Promise<void> {
  for (const h of hooks ?? []) {
    let exitCode: number;
    try {
      ({ exitCode } = await ctx.ports.runtime.exec(id, { ...h, maxOutputBytes: 64 * 1024 }));
    } catch (err) {
      throw new BerthError('engine/hook', `${what}: ${h.args.join(' ')}: ${describe(err)}`, { cause: err });
    }
    if (exitCode !== 0) throw new BerthError('engine/hook', `${what}: ${h.args.join(' ')} exited with code ${exitCode}`);
  }
}
