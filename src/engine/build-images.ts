/**
 * The one build path: the build step of up/create and `berth build` (compose behaviour). A
 * service with `build:` is built when `build` is set (`--build`, `berth build`), when its
 * `pull_policy` (or `--pull`, which overrides it) is `build`, or when its image (`image:` or
 * `<project>-<service>`) is missing; `noBuild` never builds (a missing image without
 * `image:` to pull is an error). One build per image name; builds run one after another.
 */
import type { Project } from '../spec/index.js';
import { serviceImageRef } from '../spec/index.js';
import type { LocalImage } from '../image/index.js';
import type { PullOption } from '../api/index.js';
import { BerthError } from '../errors.js';
import type { EngineContext } from './context.js';
import { emit } from './context.js';

export interface BuildStep {
  readonly build?: boolean;
  readonly noBuild?: boolean;
  readonly pull?: PullOption;
  readonly signal?: AbortSignal;
  /** Passed to the builder (`berth build --no-cache --pull --build-arg`). */
  readonly noCache?: boolean;
  readonly pullBase?: boolean;
  readonly buildArgs?: Readonly<Record<string, string | undefined>>;
  /** Entitlements (`berth build --allow network.host`). */
  readonly allow?: readonly string[];
}

export async function buildServiceImages(ctx: EngineContext, project: Project, names: readonly string[], options: BuildStep): Promise<Map<string, LocalImage>> {
  const out = new Map<string, LocalImage>();
  const byRef = new Map<string, LocalImage>();
  for (const n of names) {
    const svc = project.services[n]!;
    if (!svc.build) continue;
    const ref = serviceImageRef(project.name, n, svc.image);
    const done = byRef.get(ref);
    if (done) {
      out.set(n, done);
      continue;
    }
    if (options.noBuild === true) {
      if (!svc.image && !(await ctx.ports.images.resolveLocal(ref))) {
        throw new BerthError('engine/image-missing', `service ${n}: image ${ref} has not been built`, { hint: 'run `berth build`, or `berth up` without --no-build' });
      }
      continue;
    }
    const policy = options.pull !== undefined && options.pull !== 'policy' ? options.pull : svc.pull_policy;
    if (options.build !== true && policy !== 'build' && (await ctx.ports.images.resolveLocal(ref))) continue;
    if (!ctx.ports.builder) throw new BerthError('engine/build-unsupported', `service ${n}: this engine has no image builder`, { hint: 'set `image:` to a pullable image' });
    const image = await ctx.ports.builder.build(project, n, {
      ...(options.noCache ? { noCache: true } : {}),
      ...(options.pullBase ? { pull: true } : {}),
      ...(options.buildArgs ? { buildArgs: options.buildArgs } : {}),
      ...(options.allow ? { allow: options.allow } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      onEvent: (e) => emit(ctx, e),
    });
    byRef.set(ref, image);
    out.set(n, image);
  }
  return out;
}
