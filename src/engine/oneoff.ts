/** `exec` (a process in a running service container) and `run` (a one-off container). */
import { randomBytes } from 'node:crypto';
import type { ExecOptions, RunOptions } from '../api/index.js';
import { Labels } from '../api/index.js';
import { BerthError } from '../errors.js';
import type { EngineContext } from './context.js';
import { observeProject } from './observe.js';
import { projectNameOf, loadFromSource } from './project-source.js';
import { converge } from './up.js';
import { lockProject } from './lock.js';
import { projectDir } from './paths.js';
import { prepareSpec } from './apply-up.js';
import { createFromSpec, startCreated, removeContainer } from './container-ops.js';
import { configHash } from './config-hash.js';
import { followContainer } from './logs.js';
import { resolveUserSpec } from './user.js';
import { ensureSupervisor, reviveSupervisor } from './supervisor-client.js';

function envPairs(list: readonly string[] | undefined, cliEnv: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of list ?? []) {
    const i = e.indexOf('=');
    if (i > 0) out[e.slice(0, i)] = e.slice(i + 1);
    else if (cliEnv[e] !== undefined) out[e] = cliEnv[e]!;
  }
  return out;
}

export async function exec(ctx: EngineContext, options: ExecOptions): Promise<number> {
  const { name } = await projectNameOf(options.source);
  const snap = await observeProject(ctx, name);
  reviveSupervisor(ctx, snap);
  const index = options.index ?? 1;
  const c = snap.containers.find((x) => x.service === options.service && x.number === index && !x.oneoff);
  if (!c) throw new BerthError('engine/no-such-service', `service "${options.service}" is not running in project ${name}`, { hint: 'start it with `berth up -d`' });
  if (c.status !== 'running') throw new BerthError('engine/not-running', `container ${c.name} is not running (${c.status})`);
  const env = Object.entries(envPairs(options.env, ctx.env)).map(([k, v]) => `${k}=${v}`);
  let user;
  if (options.user) {
    const img = snap.states.get(c.name)?.labels[Labels.image];
    const local = img ? await ctx.ports.images.resolveLocal(img) : undefined;
    user = resolveUserSpec(options.user, local?.layerDirs ?? [], options.service);
  }
  const rtOptions = {
    args: options.command,
    ...(env.length > 0 ? { env } : {}),
    ...(options.workdir ? { cwd: options.workdir } : {}),
    ...(user ? { user } : {}),
    ...(options.tty ? { tty: true } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  if (ctx.ports.runtime.execAttached && (options.stdout || options.stdin)) {
    return ctx.ports.runtime.execAttached(c.id, rtOptions, {
      ...(options.stdin ? { stdin: options.stdin } : {}),
      ...(options.stdout ? { stdout: options.stdout } : {}),
      ...(options.stderr ? { stderr: options.stderr } : {}),
    });
  }
  const r = await ctx.ports.runtime.exec(c.id, rtOptions);
  options.stdout?.write(r.stdout);
  options.stderr?.write(r.stderr);
  return r.exitCode;
}

/** A one-off container `PROJECT-SERVICE-run-XXXX`: dependencies started first (unless --no-deps). */
export async function run(ctx: EngineContext, options: RunOptions): Promise<number> {
  const project = await loadFromSource(options.source);
  const service = project.services[options.service];
  if (!service) throw new BerthError('engine/no-such-service', `no such service: ${options.service}`);
  const deps = Object.keys(service.depends_on ?? {});
  if (!options.noDeps && deps.length > 0) {
    await converge(ctx, { source: options.source, services: deps, detach: true, ...(options.onEvent ? { onEvent: options.onEvent } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  }
  const image = await ctx.ports.images.ensure(service.image ?? `${project.name}-${service.name}`, 'missing', options.signal ? { signal: options.signal } : {});
  const name = options.name ?? `${project.name}-${service.name}-run-${randomBytes(6).toString('hex')}`;
  const svc = {
    ...service,
    // run ignores ports unless --service-ports, and never restarts
    ports: options.servicePorts ? service.ports : undefined,
    restart: 'no' as const,
  };
  const lock = await lockProject(projectDir(ctx.paths, project.name), project.name);
  let spec;
  try {
    spec = await prepareSpec({ ctx, project, images: new Map([[service.name, image]]), ids: new Map() }, svc as typeof service, name, 1, configHash(svc), {
      oneoff: true,
      id: name,
      override: {
        ...(options.command.length > 0 ? { command: options.command } : {}),
        ...(options.entrypoint ? { entrypoint: options.entrypoint } : {}),
        ...(options.env ? { env: envPairs(options.env, ctx.env) } : {}),
        ...(options.workdir ? { workdir: options.workdir } : {}),
        ...(options.user ? { user: options.user } : {}),
      },
    });
    await createFromSpec(ctx, (await observeProject(ctx, project.name)).store, spec);
  } finally {
    lock.release();
  }
  const snap = await observeProject(ctx, project.name);
  const logStop = new AbortController();
  let follow: Promise<void> = Promise.resolve();
  try {
    await startCreated(ctx, snap.store, spec);
    ensureSupervisor(ctx, project.name);
    if (options.detach) {
      options.stdout?.write(`${name}\n`);
      return 0;
    }
    const state = snap.states.get(name) ?? (await ctx.ports.runtime.state(spec.config.id))!;
    follow = followContainer(ctx, state, { follow: true, untilExit: true, signal: logStop.signal }, (l) => (l.stream === 'stderr' ? options.stderr : options.stdout)?.write(`${l.text}\n`));
    const exit = await ctx.ports.runtime.wait(spec.config.id, options.signal);
    await follow; // ends after the last line of the run
    return exit.exitCode;
  } finally {
    logStop.abort();
    await follow;
    if (options.rm && !options.detach) {
      const l = await lockProject(projectDir(ctx.paths, project.name), project.name);
      try {
        await removeContainer(ctx, snap.store, name, spec.config.id, { service: service.name, project: project.name });
        // anonymous volumes of a --rm container go with it (docker run --rm)
      } finally {
        l.release();
      }
    }
  }
}
