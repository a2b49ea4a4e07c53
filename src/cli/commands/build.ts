import type { Command } from '../command.js';
import { UsageError } from '../../errors.js';
import { bool, list, sourceOf, withRenderer } from './compose-shared.js';

/** `--build-arg K=V` / `--build-arg K` (value from the environment). */
export function buildArgFlags(values: readonly string[], env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq === 0) throw new UsageError(`invalid --build-arg "${v}": expected KEY=VALUE`);
    if (eq === -1) out[v] = env[v];
    else out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

/** `--allow ENTITLEMENT`: the entitlements berth knows (BuildKit's names), checked. */
export function entitlements(values: readonly string[]): string[] {
  for (const v of values) if (v !== 'network.host') throw new UsageError(`invalid --allow "${v}": berth knows the entitlement network.host`);
  return [...values];
}

export const command: Command = {
  usage: 'berth build [OPTIONS] [SERVICE...]',
  summary: 'Build or rebuild services',
  flags: [
    { name: 'no-cache', type: 'bool', help: 'Do not use cache when building the image' },
    { name: 'pull', type: 'bool', help: 'Always attempt to pull a newer version of the image' },
    { name: 'build-arg', type: 'list', value: 'KEY=VALUE', help: 'Set build-time variables for services' },
    { name: 'allow', type: 'list', value: 'ENTITLEMENT', help: 'Allow extra privileged entitlement: network.host (RUN on the host network)' },
    { name: 'quiet', short: 'q', type: 'bool', help: "Don't print anything to STDOUT" },
  ],
  async run(ctx) {
    const engine = await ctx.backend.engine();
    const options = {
      source: sourceOf(ctx),
      services: ctx.args,
      noCache: bool(ctx, 'no-cache'),
      pull: bool(ctx, 'pull'),
      buildArgs: buildArgFlags(list(ctx, 'build-arg'), ctx.env),
      allow: entitlements(list(ctx, 'allow')),
      signal: ctx.signal,
    };
    await withRenderer(ctx, { quiet: bool(ctx, 'quiet') }, (onEvent) => engine.build({ ...options, onEvent }));
    return 0;
  },
};
