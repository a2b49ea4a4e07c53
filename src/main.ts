/**
 * berth's entry point and composition root: the CLI (src/cli) over the real backend. This
 * is the one place that knows which part loads when: each part of the backend is imported
 * when a command first asks for it, so `berth X` loads only what X needs (CLI start time is
 * part of container start latency). `bin/berth` runs this file (bundled, see scripts/bundle.mjs).
 */
import type { Backend, Engine } from './api/index.js';
import { endQuietlyOnEpipe, formatError, main as runCli } from './cli/main.js';

type Env = Readonly<Record<string, string | undefined>>;
type Out = NodeJS.WritableStream;

export function createBackend(env: Env): Backend {
  let engine: Promise<Engine> | undefined;
  const E = (): Promise<Engine> => (engine ??= import('./engine/index.js').then((m) => m.createEngine(env)));
  return {
    engine: E,
    containers: async () => (await import('./objects/index.js')).containerService(env),
    images: async () => (await import('./objects/index.js')).imageService(env),
    networks: async () => (await import('./objects/index.js')).networkService(env),
    async watch(options) {
      const [{ watchProject }, e] = await Promise.all([import('./watch/index.js'), E()]);
      const emit = options.onEvent;
      await watchProject({
        ...options,
        engine: e,
        ...(emit ? { onMessage: (m) => emit(m.level === 'warn' ? { kind: 'warning', message: m.text, time: Date.now() } : { kind: 'info', message: m.text, time: Date.now() }) } : {}),
      });
    },
    async deployer() {
      return (await import('./deploy/index.js')).createDeployer();
    },
  };
}

/** Runs berth with argv (without `node` and the script) and returns the exit code. */
export function main(argv: readonly string[], io: { stdout: Out; stderr: Out } = process): Promise<number> {
  return runCli(argv, io, createBackend);
}

const isEntry = process.argv[1] !== undefined && /(?:^|\/)(berth|main\.js)$/.test(process.argv[1]);
if (isEntry) {
  endQuietlyOnEpipe();
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(formatError(err, true));
      process.exitCode = 1;
    },
  );
}
