/** BuildPort over src/build (berth's own Dockerfile builder), loaded on first use. */
import type { BuildPort } from '../ports.js';
import { loadBuild } from '../../load.js';

export function buildPort(env: Readonly<Record<string, string | undefined>>): BuildPort {
  return {
    async build(project, service, options) {
      const m = await loadBuild();
      const r = await m.buildService(m.buildDeps(env), project, service, {
        env,
        ...(options.noCache ? { noCache: true } : {}),
        ...(options.pull ? { pull: true } : {}),
        ...(options.buildArgs ? { buildArgs: options.buildArgs } : {}),
        ...(options.allow ? { allow: options.allow } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        onEvent: (e) => options.onEvent(e),
      });
      return r.image;
    },
  };
}
