// berth image build: a Dockerfile build outside compose (`docker build`). Progress lines go
// to stderr (`#3 [3/7] RUN ...`, the RUN output indented); the image id to stdout.
import type { Command } from '../../command.js';
import { parseKeyValues, strings } from '../container/parse.js';
import { buildArgFlags, entitlements } from '../build.js';
import type { BuildEvent } from '../../../build/types.js';
import type { RunNetwork } from '../../../build/index.js';
import { UsageError } from '../../../errors.js';
const { resolve } = process.getBuiltinModule('node:path');

function line(e: BuildEvent): string | undefined {
  switch (e.type) {
    case 'pull':
      return `pulling ${e.image}`;
    case 'step':
      return `#${e.step} [${e.stage} ${e.step}/${e.total}] ${e.text.split('\n')[0]}${e.cached ? '  CACHED' : ''}`;
    case 'output':
      return `#${e.step}   ${e.text}`;
    case 'warning':
      return `warning: ${e.message}`;
    case 'done':
      return `writing image ${e.id}${e.tags.length ? `, naming to ${e.tags.join(', ')}` : ''}${e.cached ? ' (cached)' : ''}`;
  }
}

/** `--network MODE`: the build's RUN network. */
function runNetwork(v: unknown): RunNetwork | undefined {
  if (v === undefined) return undefined;
  if (v === 'default' || v === 'host' || v === 'none') return v;
  throw new UsageError(`invalid --network "${String(v)}": expected default, host or none`);
}

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
    const [{ buildDeps }, { buildImage }] = await Promise.all([import('../../../build/deps.js'), import('../../../build/build.js')]);
    const quiet = ctx.flags.quiet === true;
    const tags = strings(ctx.flags.tag);
    const labels = parseKeyValues('label', strings(ctx.flags.label));
    const context = resolve(ctx.cwd, ctx.args[0]!);
    const file = typeof ctx.flags.file === 'string' ? resolve(ctx.cwd, ctx.flags.file) : undefined;
    const network = runNetwork(ctx.flags.network);
    const result = await buildImage(buildDeps(ctx.env), {
      context,
      ...(file ? { dockerfile: file } : {}),
      tags,
      ...(typeof ctx.flags.target === 'string' ? { target: ctx.flags.target } : {}),
      buildArgs: buildArgFlags(strings(ctx.flags['build-arg']), ctx.env),
      allow: entitlements(strings(ctx.flags.allow)),
      ...(network ? { network } : {}),
      env: ctx.env,
      labels,
      noCache: ctx.flags['no-cache'] === true,
      pull: ctx.flags.pull === true,
      signal: ctx.signal,
      onEvent: (e) => {
        if (quiet && e.type !== 'warning') return;
        const text = line(e);
        if (text !== undefined) ctx.stderr.write(`${text}\n`);
      },
    });
    ctx.stdout.write(`${result.image.id}\n`);
    return 0;
  },
};
