/**
 * Entry of the detached per-project supervisor: `node supervisor-main.js PROJECT`.
 * Started by `up`/`start` (supervisor-client.ts), ended by `down` (SIGTERM).
 */
import { realPorts } from './real-ports.js';
import { engineContext } from './create-engine.js';
import { runSupervisor } from './supervisor.js';
import { anotherSupervisor } from './supervisor-client.js';
import { appendingSink } from './events-log.js';
import { enginePaths, projectDir } from './paths.js';
import { describe } from '../errors.js';

const project = process.argv[2];
if (!project) {
  process.stderr.write('usage: supervisor-main.js PROJECT\n');
  process.exit(2);
}
const env = process.env;
const dir = projectDir(enginePaths(env), project);
const ports = realPorts(env);
const ctx = engineContext({ ports, env, onEvent: appendingSink(dir) });
const controller = new AbortController();
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => controller.abort());
const log = (line: string): void => {
  process.stderr.write(`${new Date().toISOString()} ${line}\n`);
};
const other = anotherSupervisor(ctx, project, process.pid);
if (other !== undefined) {
  log(`supervisor for ${project}: pid ${other} runs already, exiting`);
  process.exit(0);
}
log(`supervisor for ${project} started (pid ${process.pid})`);
runSupervisor(ctx, project, controller.signal, { log, sidecar: true }).then(
  async () => {
    log('supervisor exiting');
    await ports.network.close?.().catch(() => undefined);
    process.exit(0);
  },
  (err: unknown) => {
    log(`supervisor failed: ${describe(err)}`);
    process.exit(1);
  },
);
