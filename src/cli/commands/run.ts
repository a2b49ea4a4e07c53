import type { Command } from '../command.js';
import { UsageError } from '../../errors.js';
import { bool, engineFor, imageOptions, list, orphanOptions, rendererFor, sourceOf, str } from './compose-shared.js';
const { resolve } = process.getBuiltinModule('node:path');

/** `-l KEY=VALUE` (repeatable; a later one wins), compose's message for a missing `=`. */
export function labelFlags(values: readonly string[]): Record<string, string> | undefined {
  if (values.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const v of values) {
    const i = v.indexOf('=');
    if (i < 0) throw new UsageError('label must be set as KEY=VALUE');
    out[v.slice(0, i)] = v.slice(i + 1);
  }
  return out;
}

export const command: Command = {
  usage: 'berth run [OPTIONS] SERVICE [COMMAND] [ARGS...]',
  summary: 'Run a one-off command on a service',
  stopAtPositional: true,
  args: { min: 1 },
  flags: [
    { name: 'rm', type: 'bool', help: 'Automatically remove the container when it exits' },
    { name: 'detach', short: 'd', type: 'bool', help: 'Run container in background and print container ID' },
    { name: 'env', short: 'e', type: 'list', value: 'KEY=VAL', help: 'Set environment variables' },
    { name: 'volume', short: 'v', type: 'list', value: 'VOLUME', help: 'Bind mount a volume' },
    { name: 'publish', short: 'p', type: 'list', value: 'PORT', help: "Publish a container's port(s) to the host" },
    { name: 'service-ports', short: 'P', type: 'bool', help: "Run command with all service's ports enabled and mapped to the host" },
    { name: 'no-deps', type: 'bool', help: "Don't start linked services" },
    { name: 'entrypoint', type: 'string', value: 'CMD', help: 'Override the entrypoint of the image' },
    { name: 'user', short: 'u', type: 'string', value: 'USER', help: 'Run as specified username or uid' },
    { name: 'workdir', short: 'w', type: 'string', value: 'DIR', help: 'Working directory inside the container' },
    { name: 'name', type: 'string', value: 'NAME', help: 'Assign a name to the container' },
    { name: 'no-TTY', short: 'T', type: 'bool', help: 'Disable pseudo-TTY allocation (default: a TTY when stdin is one)' },
    { name: 'tty', short: 't', type: 'bool', help: 'Allocate a pseudo-TTY (the default when stdin is one; -T wins)' },
    { name: 'interactive', short: 'i', type: 'bool', help: 'Keep STDIN open' },
    { name: 'cap-add', type: 'list', value: 'CAP', help: 'Add Linux capabilities' },
    { name: 'cap-drop', type: 'list', value: 'CAP', help: 'Drop Linux capabilities' },
    { name: 'label', short: 'l', type: 'list', value: 'KEY=VALUE', help: 'Add or override a label' },
    { name: 'env-from-file', type: 'list', value: 'FILE', help: 'Set environment variables from file' },
    { name: 'use-aliases', type: 'bool', help: "Use the service's network useAliases in the network(s) the container connects to" },
    { name: 'pull', type: 'string', value: 'POLICY', help: 'Pull image before running ("always"|"missing"|"never")' },
    { name: 'build', type: 'bool', help: 'Build image before starting container' },
    { name: 'quiet', short: 'q', type: 'bool', help: "Don't print anything to STDOUT" },
    { name: 'quiet-pull', type: 'bool', help: 'Pull without printing progress information' },
    { name: 'remove-orphans', type: 'bool', help: 'Remove containers for services not defined in the Compose file' },
  ],
  async run(ctx) {
    const [service, ...command] = ctx.args as [string, ...string[]];
    const { pull, build } = imageOptions(ctx);
    const labels = labelFlags(list(ctx, 'label'));
    const engine = await engineFor(ctx);
    const renderer = await rendererFor(ctx, { quiet: bool(ctx, 'quiet') });
    const entrypoint = str(ctx, 'entrypoint');
    const user = str(ctx, 'user');
    const workdir = str(ctx, 'workdir');
    const name = str(ctx, 'name');
    try {
      return await engine.run({
        source: sourceOf(ctx),
        service,
        command,
        rm: bool(ctx, 'rm'),
        detach: bool(ctx, 'detach'),
        env: list(ctx, 'env'),
        servicePorts: bool(ctx, 'service-ports'),
        volumes: list(ctx, 'volume'),
        publish: list(ctx, 'publish'),
        // a TTY for the container when stdin is one (docker compose run), unless -T or -d
        ...(!bool(ctx, 'detach') && !bool(ctx, 'no-TTY') && (ctx.stdin as { isTTY?: boolean }).isTTY === true ? { tty: true } : {}),
        noDeps: bool(ctx, 'no-deps'),
        capAdd: list(ctx, 'cap-add'),
        capDrop: list(ctx, 'cap-drop'),
        ...(labels ? { labels } : {}),
        envFiles: list(ctx, 'env-from-file').map((f) => resolve(ctx.cwd, f)),
        useAliases: bool(ctx, 'use-aliases'),
        ...(pull !== undefined ? { pull } : {}),
        build,
        quietPull: bool(ctx, 'quiet-pull'),
        ...orphanOptions(ctx),
        ...(entrypoint !== undefined ? { entrypoint: entrypoint === '' ? [] : entrypoint.split(' ') } : {}),
        ...(user ? { user } : {}),
        ...(workdir ? { workdir } : {}),
        ...(name ? { name } : {}),
        stdout: ctx.stdout,
        stderr: ctx.stderr,
        onEvent: (e) => renderer.event(e),
        signal: ctx.signal,
      });
    } finally {
      await renderer.close();
    }
  },
};
