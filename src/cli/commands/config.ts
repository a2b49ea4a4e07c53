import type { Command } from '../command.js';
import { BerthError, UsageError } from '../../errors.js';
import type { ImageService } from '../../api/index.js';
import { rendererFor } from './compose-shared.js';

export const command: Command = {
  usage: 'berth config [OPTIONS] [SERVICE...]',
  summary: 'Parse, resolve and render the compose file in canonical format',
  rootless: true,
  flags: [
    { name: 'format', type: 'string', value: 'FORMAT', help: 'Format the output: yaml | json (default yaml)' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Only validate the configuration, print nothing' },
    { name: 'services', type: 'bool', help: 'Print the service names, one per line' },
    { name: 'volumes', type: 'bool', help: 'Print the volume names, one per line' },
    { name: 'networks', type: 'bool', help: 'Print the network names, one per line' },
    { name: 'profiles', type: 'bool', help: 'Print the profile names, one per line' },
    { name: 'images', type: 'bool', help: 'Print the image names, one per line' },
    { name: 'environment', type: 'bool', help: 'Print the environment used for interpolation' },
    { name: 'no-interpolate', type: 'bool', help: "Don't interpolate environment variables" },
    { name: 'no-path-resolution', type: 'bool', help: "Don't resolve file paths" },
    { name: 'no-normalize', type: 'bool', help: "Don't normalize compose model" },
    { name: 'variables', type: 'bool', help: 'Print model variables and default values' },
    { name: 'resolve-image-digests', type: 'bool', help: 'Pin image tags to digests (from the local image store)' },
    { name: 'hash', type: 'string', value: 'SERVICES', help: 'Print the config hash of the services ("*" for all)' },
    { name: 'output', short: 'o', type: 'string', value: 'FILE', help: 'Save to a file instead of stdout' },
  ],
  args: { min: 0 },
  async run(ctx) {
    const view = ctx.flags.quiet === true ? 'quiet' : pickView(ctx.flags);
    // --variables prints a table unless a format is asked for (compose's)
    const format = (ctx.flags.format as string | undefined) ?? (view === 'variables' ? 'table' : 'yaml');
    if (format !== 'yaml' && format !== 'json' && !(format === 'table' && view === 'variables')) throw new UsageError(`berth config: unsupported format "${format}"`, { hint: 'use yaml or json' });
    if (ctx.flags['no-normalize'] === true && ctx.flags['resolve-image-digests'] === true) throw new UsageError('berth config: --no-normalize and --resolve-image-digests cannot be combined');
    const images = ctx.flags['resolve-image-digests'] === true ? await ctx.backend.images() : undefined;
    const { renderConfig } = await import('../../spec/index.js');
    const warnings: string[] = [];
    const text = await renderConfig({
      files: ctx.global.files,
      projectName: ctx.global.projectName,
      projectDirectory: ctx.global.projectDirectory,
      envFiles: ctx.global.envFiles,
      profiles: ctx.global.profiles,
      env: ctx.env,
      cwd: ctx.cwd,
      readStdin: () => readAll(ctx.stdin),
      interpolate: ctx.flags['no-interpolate'] !== true,
      ...(ctx.flags['no-path-resolution'] === true ? { resolvePaths: false } : {}),
      onWarning: (w) => warnings.push(w.message),
      localEngine: 'warn',
      services: ctx.args,
      view,
      format,
      ...(ctx.flags['no-normalize'] === true ? { normalize: false } : {}),
      ...(images ? { pinImage: (ref: string) => pinnedRef(images, ref) } : {}),
      hash: ctx.flags.hash as string | undefined,
    });
    if (warnings.length > 0) {
      const renderer = await rendererFor(ctx);
      for (const message of warnings) renderer.event({ kind: 'warning', message, time: Date.now() });
      await renderer.close();
    }
    if (ctx.flags.quiet) return 0;
    const output = ctx.flags.output as string | undefined;
    if (output) {
      const { writeFileSync } = process.getBuiltinModule('node:fs');
      const { resolve } = process.getBuiltinModule('node:path');
      writeFileSync(resolve(ctx.cwd, output), text);
    } else ctx.stdout.write(text);
    return 0;
  },
};

type View = 'full' | 'services' | 'volumes' | 'networks' | 'profiles' | 'images' | 'environment' | 'hash' | 'variables';

/** `ref` pinned by the manifest digest the local store has for it (compose asks the registry; berth's pull records it). */
async function pinnedRef(images: ImageService, ref: string): Promise<string> {
  if (ref.includes('@')) return ref;
  const digest = (await images.list(ref)).find((r) => r.digest.startsWith('sha256:'))?.digest;
  if (!digest) throw new BerthError('image/not-found', `image ${ref}: no digest known (it is not in the local image store)`, { hint: `pull it first: berth image pull ${ref}` });
  return `${ref}@${digest}`;
}

function pickView(flags: Record<string, unknown>): View {
  const views = (['services', 'volumes', 'networks', 'profiles', 'images', 'environment', 'variables'] as const).filter((v) => flags[v] === true);
  if (flags.hash !== undefined) views.push('hash' as never);
  if (views.length > 1) throw new UsageError(`berth config: --${views[0]} and --${views[1]} cannot be combined`);
  return views[0] ?? 'full';
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
