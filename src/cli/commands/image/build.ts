// berth image build: a Dockerfile build outside compose (`docker build`). Build steps are
// info events (`#3 [3/7] RUN ...`, on stderr in plain mode); the image id goes to stdout.
import type { Command } from '../../command.js';
import { buildArgFlags, entitlements } from '../build.js';
import { withRenderer } from '../compose-shared.js';
const { resolve } = process.getBuiltinModule('node:path');

const list = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);

export const command: Command = {
  usage: 'berth image build [OPTIONS] PATH',
  summary: 'Build an image from a Dockerfile',
  args: { min: 1, max: 1 },
  flags: [
    { name: 'tag', short: 't', type: 'list', value: 'NAME[:TAG]', help: 'Name and optionally a tag (repeatable)' },
    { name: 'file', short: 'f', type: 'string', value: 'FILE', help: "Name of the Dockerfile (default: 'PATH/Dockerfile')" },
    { name: 'target', type: 'string', value: 'STAGE', help: 'Set the target build stage to build' },
    { name: 'build-arg', type: 'list', value: 'KEY=VALUE', help: 'Set build-time variables' },
    { name: 'allow', type: 'list', value: 'ENTITLEMENT', help: 'Allow extra privileged entitlement: network.host (RUN on the host network)' },
    { name: 'network', type: 'string', value: 'MODE', help: "RUN's network: default (own netns, outbound NAT), host (needs --allow network.host), none" },
    { name: 'label', type: 'list', value: 'KEY=VALUE', help: 'Set metadata for an image' },
    { name: 'no-cache', type: 'bool', help: 'Do not use cache when building the image' },
    { name: 'pull', type: 'bool', help: 'Always attempt to pull a newer version of the image' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Suppress the build output and print image ID on success' },
  ],
  async run(ctx) {
    const f = ctx.flags;
    const quiet = f.quiet === true;
    const images = await ctx.backend.images();
    const id = await withRenderer(ctx, {}, (onEvent) =>
      images.build({
        context: resolve(ctx.cwd, ctx.args[0]!),
        ...(typeof f.file === 'string' ? { dockerfile: resolve(ctx.cwd, f.file) } : {}),
        tags: list(f.tag),
        ...(typeof f.target === 'string' ? { target: f.target } : {}),
        buildArgs: buildArgFlags(list(f['build-arg']), ctx.env),
        allow: entitlements(list(f.allow)),
        ...(typeof f.network === 'string' ? { network: f.network } : {}),
        labels: list(f.label),
        noCache: f['no-cache'] === true,
        pull: f.pull === true,
        env: ctx.env,
        signal: ctx.signal,
        // -q: warnings only
        onEvent: (e) => (quiet && e.kind !== 'warning' ? undefined : onEvent(e)),
      }),
    );
    ctx.stdout.write(`${id}\n`);
    return 0;
  },
};
