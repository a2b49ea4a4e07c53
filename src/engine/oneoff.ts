/** `exec` (a process in a running service container) and `run` (a one-off container). */
import type { ExecOptions, RunOptions } from '../api/index.js';
import { Labels } from '../api/index.js';
import { BerthError, describe } from '../errors.js';
import type { PortConfig, Service, VolumeMount } from '../spec/index.js';
import { parsePortSpec, readEnvFiles, splitVolumeSpec, serviceImageRef } from '../spec/index.js';
import type { EngineContext } from './context.js';
import { emit } from './context.js';
import { missingDependencyWarnings } from './plan.js';
import { observeProject, storeFor } from './observe.js';
import { projectNameOf, loadFromSource } from './project-source.js';
import { converge } from './up.js';
import { lockProject } from './lock.js';
import { projectDir } from './paths.js';
import { networksSettled, prepareSpec, startMissingNetworks } from './apply-up.js';
import { createFromSpec, startCreated, removeContainer } from './container-ops.js';
import { configHash } from './config-hash.js';
import { followContainer } from './logs.js';
import { resolveUserSpec } from './user.js';
import { ensureSupervisor, reviveSupervisor } from './supervisor-client.js';
import { pullPolicyFor } from './pull-policy.js';
import { pullImage } from './pull.js';
import { buildServiceImages } from './build-images.js';
import { noSuchService } from './errors.js';
const { randomBytes } = process.getBuiltinModule('node:crypto');
const { isAbsolute, join, resolve } = process.getBuiltinModule('node:path');

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
    ...(options.privileged ? { privileged: true } : {}),
  };
  if (options.detach) {
    // started by the runtime itself (no /bin/sh needed), output discarded, as Docker's exec -d;
    // its errors (runtime/exec-not-found, runtime/syscall...) name the container, as attached exec's
    await ctx.ports.runtime.execDetached(c.id, rtOptions);
    return 0;
  }
  const attached = {
    ...rtOptions,
    ...(options.tty ? { tty: true } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  if (ctx.ports.runtime.execAttached && (options.stdout || options.stdin)) {
    return ctx.ports.runtime.execAttached(c.id, attached, {
      ...(options.stdin ? { stdin: options.stdin } : {}),
      ...(options.stdout ? { stdout: options.stdout } : {}),
      ...(options.stderr ? { stderr: options.stderr } : {}),
    });
  }
  const r = await ctx.ports.runtime.exec(c.id, attached);
  options.stdout?.write(r.stdout);
  options.stderr?.write(r.stderr);
  return r.exitCode;
}

/** `run -v SRC:DST[:ro]`: compose's short syntax; a relative or `~` bind source is resolved as in the compose file. */
export function runVolumes(workingDir: string, specs: readonly string[], env: Readonly<Record<string, string | undefined>>): VolumeMount[] {
  return specs.map((text) => {
    let v;
    try {
      v = splitVolumeSpec(text);
    } catch (err) {
      throw new BerthError('engine/run-volume', `run -v ${text}: ${describe(err)}`);
    }
    let source = v.source;
    if (v.type === 'bind' && source !== undefined) {
      if (source === '~' || source.startsWith('~/')) source = join(env.HOME ?? '/root', source.slice(1));
      else if (!isAbsolute(source)) source = resolve(workingDir, source);
    }
    return { ...v, ...(source !== undefined ? { source } : {}) } as VolumeMount;
  });
}

/** compose's: `--cap-add` joins cap_add and leaves cap_drop, `--cap-drop` the other way round. */
export function runCapabilities(service: Service, o: Pick<RunOptions, 'capAdd' | 'capDrop'>): { cap_add?: string[]; cap_drop?: string[] } {
  let add = [...(service.cap_add ?? [])];
  let drop = [...(service.cap_drop ?? [])];
  if (o.capAdd && o.capAdd.length > 0) {
    add = [...add, ...o.capAdd];
    drop = drop.filter((c) => !o.capAdd!.includes(c));
  }
  if (o.capDrop && o.capDrop.length > 0) {
    drop = [...drop, ...o.capDrop];
    add = add.filter((c) => !o.capDrop!.includes(c));
  }
  return { ...(add.length > 0 ? { cap_add: add } : {}), ...(drop.length > 0 ? { cap_drop: drop } : {}) };
}

function definedOnly(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

/** `run -p [[IP:]HOST:]CONTAINER[/PROTO]`. */
export function runPorts(specs: readonly string[]): PortConfig[] {
  return specs.flatMap((text) => {
    try {
      return parsePortSpec(text) as PortConfig[];
    } catch (err) {
      throw new BerthError('engine/run-port', `run -p ${text}: ${describe(err)}`);
    }
  });
}

/** A one-off container `PROJECT-SERVICE-run-XXXX`: dependencies started first (unless --no-deps). */
export async function run(ctx: EngineContext, options: RunOptions): Promise<number> {
  const warnings: string[] = [];
  const project = await loadFromSource(options.source, (m) => warnings.push(m), 'enforce');
  const service = project.services[options.service];
  if (!service) throw noSuchService(options.service);
  const deps = Object.keys(service.depends_on ?? {});
  // the file's warnings once: from the dependencies' up when there is one
  if (options.noDeps || deps.length === 0) for (const message of warnings) emit(ctx, { kind: 'warning', message });
  if (!options.noDeps && deps.length > 0) {
    await converge(ctx, {
      source: options.source,
      services: deps,
      detach: true,
      ...(options.removeOrphans ? { removeOrphans: true } : {}),
      ...(options.quietPull ? { quietPull: true } : {}),
      ...(options.pull ? { pull: options.pull } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }
  const ref = serviceImageRef(project.name, service.name, service.image);
  const policy = pullPolicyFor(ctx.paths, ref, options.pull !== undefined && options.pull !== 'policy' ? options.pull : service.pull_policy, ctx.now());
  // compose's run builds a missing `build:` image as up does (--build: always)
  const step = { ...(options.signal ? { signal: options.signal } : {}), ...(options.build ? { build: true } : {}), ...(options.pull ? { pull: options.pull } : {}) };
  const built = (await buildServiceImages(ctx, project, [service.name], step)).get(service.name);
  const image = built ?? (await pullImage(ctx, ref, [service.name], policy, options.signal, options.quietPull === true));
  const name = options.name ?? `${project.name}-${service.name}-run-${randomBytes(6).toString('hex')}`;
  const extraPorts = runPorts(options.publish ?? []);
  const svc = {
    ...service,
    // run ignores the service's ports unless --service-ports (-p adds its own), and never restarts
    ports: [...(options.servicePorts ? (service.ports ?? []) : []), ...extraPorts],
    volumes: [...(service.volumes ?? []), ...runVolumes(project.workingDir, options.volumes ?? [], ctx.env)],
    restart: 'no' as const,
    ...(options.tty ? { tty: true } : {}),
    ...runCapabilities(service, options),
    ...(options.labels ? { labels: { ...service.labels, ...options.labels } } : {}),
  };
  const fileEnv =
    options.envFiles && options.envFiles.length > 0
      ? readEnvFiles(
          options.envFiles.map((path) => ({ path, required: true })),
          definedOnly(ctx.env),
        )
      : {};
  const lock = await lockProject(projectDir(ctx.paths, project.name), project.name);
  let spec;
  // the service's networks as up makes them (compose's run creates what is missing, e.g. after a down)
  const early = await startMissingNetworks(ctx, storeFor(ctx, project.name), project, [svc as typeof service]).catch((err: unknown) => {
    lock.release();
    throw err;
  });
  try {
    await Promise.all([...early.started.values()].map((n) => n.recorded));
    spec = await prepareSpec({ ctx, project, images: new Map([[service.name, image]]), ids: new Map() }, svc as typeof service, name, 1, configHash(svc), {
      oneoff: true,
      ...(options.useAliases ? { useAliases: true } : {}),
      id: name,
      override: {
        ...(options.command.length > 0 ? { command: options.command } : {}),
        ...(options.entrypoint ? { entrypoint: options.entrypoint } : {}),
        ...(options.env || options.envFiles ? { env: { ...fileEnv, ...envPairs(options.env, ctx.env) } } : {}),
        ...(options.workdir ? { workdir: options.workdir } : {}),
        ...(options.user ? { user: options.user } : {}),
      },
    });
    const beforeAttach = async (): Promise<void> => {
      await Promise.all([...early.started.values()].map((n) => n.ready));
    };
    await createFromSpec(ctx, early.store, spec, { beforeAttach });
  } finally {
    await networksSettled(early);
    lock.release();
  }
  const snap = await observeProject(ctx, project.name);
  if (options.noDeps) {
    const present = new Set(snap.containers.filter((c) => !c.oneoff).map((c) => c.service));
    for (const message of missingDependencyWarnings(service.name, service.depends_on ?? {}, new Set(), present)) emit(ctx, { kind: 'warning', message });
  }
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
