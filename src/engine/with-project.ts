/** Runs a verb on a snapshot of a project found by name (no compose file needed), under its lock. */
import type { CommonOptions } from '../api/index.js';
import type { EngineContext } from './context.js';
import { observeProject, type ProjectSnapshot } from './observe.js';
import { projectNameOf } from './project-source.js';
import { lockProject } from './lock.js';
import { projectDir } from './paths.js';

export async function withProject<T>(ctx: EngineContext, options: CommonOptions, fn: (snap: ProjectSnapshot) => Promise<T>): Promise<T> {
  const { name } = await projectNameOf(options.source);
  const l = await lockProject(projectDir(ctx.paths, name), name, options.signal ? { signal: options.signal } : {});
  try {
    return await fn(await observeProject(ctx, name));
  } finally {
    l.release();
  }
}
