// prepareContainer: everything of a create that happens before the shim runs (TypeScript
// decides, the shim applies): dirs, init files, user namespace lease, cgroup + limits, the
// shim config and config.json. Shared by createContainer (spawns the shim and waits for it)
// and runInForeground (execs into the shim). rollbackPrepared undoes it.
import { AggregateBerthError, BerthError, errnoCode } from '../errors.js';
import { CLONE, encodeShimConfig } from '../native/index.js';
import type { UsernsLease } from './userns.js';
import { hostBoundingSet, hostLastCap, resolveCapabilities } from './capabilities.js';
import { cgroupManager } from './cgroups/manager.js';
import { BLKIO_LISTS, DEFAULT_DEVICE_RULES, type CgroupManager } from './cgroups/types.js';
import { containerId } from './context.js';
import { containerPaths, type ContainerPaths } from './layout.js';
import { DEFAULT_PATH, hostHardLimits, isDirectRootfs, namespaceFlags, planShimConfig, planUlimits } from './plan-shim.js';
import { readStoredConfig, writeJson, type StoredContainer } from './store.js';
import { ensureStateRoot } from '../util/berth-dirs.js';
import type { ContainerConfig, ResourcesConfig, RuntimeContext } from './types.js';
const { chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } = process.getBuiltinModule('node:fs');
const { dirname, join } = process.getBuiltinModule('node:path');

export interface PrepareOptions {
  readonly attach?: boolean;
  readonly reuseLayer?: boolean;
  onWarning?(message: string): void;
  /** For `berth-shim run` (see PlanInput.foreground). */
  readonly foreground?: boolean;
}

/** A prepared container: what rollbackPrepared needs to take it away again. */
export interface PreparedContainer {
  readonly id: string;
  readonly paths: ContainerPaths;
  readonly stored: StoredContainer;
  readonly cgroups: CgroupManager;
  /** Ran again on the rw layer of a previous run (reuseLayer): a rollback keeps that layer. */
  readonly reused: boolean;
  readonly userns: UsernsLease | undefined;
  /** The previous run's lease (kept by a rollback). */
  readonly keptUserns: UsernsLease | undefined;
}

let hardLimits: Map<string, number> | undefined;

export async function prepareContainer(rt: RuntimeContext, config: ContainerConfig, options: PrepareOptions = {}): Promise<PreparedContainer> {
  const id = containerId(config.id);
  if (config.name !== undefined) containerId(config.name);
  if (config.process.args.length === 0) throw new BerthError('runtime/no-command', `container ${id}: no command given`);
  const paths = containerPaths(rt, id);
  ensureStateRoot(rt.root);
  ensureStateRoot(rt.run);
  mkdirSync(join(rt.root, 'containers'), { recursive: true });
  let previous: StoredContainer | undefined;
  let reused = false;
  try {
    mkdirSync(paths.dir);
  } catch (err) {
    if (errnoCode(err) === 'EEXIST' && options.reuseLayer && !existsSync(paths.state)) {
      reused = true;
      previous = readStoredConfig(paths.config);
    } else if (errnoCode(err) === 'EEXIST') {
      throw new BerthError('runtime/name-in-use', `container name "${id}" is already in use`, { hint: `remove it first: berth container rm ${id}` });
    } else throw err;
  }
  const cgroups = cgroupManager(rt.cgroupRoot);
  let userns: UsernsLease | undefined;
  let keptUserns: UsernsLease | undefined;
  const partial = (stored: StoredContainer | undefined): PreparedContainer => ({ id, paths, stored: stored!, cgroups, reused, userns, keptUserns });
  try {
    // In the foreground (v1) the shim makes the cgroup itself, just before the clone (fewer
    // steps in Node on the way to the exec; its --rm removal takes the cgroup away again).
    const devices = config.devices?.length ? (await import('./devices.js')).resolveDevices(id, config.devices) : [];
    const extraRules = checkDeviceRules(id, config.deviceCgroupRules ?? []);
    const cgOpts = { privileged: config.privileged ?? false, deviceRules: [...devices.map((d) => d.rule), ...extraRules] };
    const resources = await withDeviceNumbers(id, config.resources ?? {});
    for (const file of cgroups.unsupported(resources)) options.onWarning?.(`container ${id}: this host's cgroups have no ${file}: that limit is not applied`);
    const cgroupPlan = options.foreground ? cgroups.plan?.(id, resources, cgOpts) : undefined;
    const cgroup = cgroupPlan?.placement ?? cgroups.ensure(id, resources, cgOpts);
    const lowerDirs = 'dir' in config.rootfs ? [config.rootfs.dir] : config.rootfs.lowerDirs;
    if (lowerDirs.length === 0) throw new BerthError('runtime/no-rootfs', `container ${id}: no rootfs layers`);
    // a direct rootfs has no rw layer and no overlay mount point
    const dirs = isDirectRootfs(config) ? [join(paths.init, 'etc'), paths.runDir] : [paths.upper, paths.work, paths.merged, join(paths.init, 'etc'), paths.runDir];
    for (const d of dirs) mkdirSync(d, { recursive: true });
    writeInitFiles(paths, config);
    if (config.userns === 'auto') {
      checkSearchable(id, paths.dir);
      // loaded only when used: every module counts in `berth container run` start time
      const un = await import('./userns.js');
      keptUserns = previous?.usernsLease ? un.keptLease(previous.usernsLease, id) : undefined;
      userns = keptUserns ?? un.allocateUserns(rt, id);
      // the rw layer belongs to the container's root; image layers are idmapped, never chowned
      for (const d of [paths.upper, paths.work]) chownSync(d, userns.uid, userns.gid);
    }
    const caps = resolveCapabilities({
      capAdd: config.capAdd,
      capDrop: config.capDrop,
      privileged: config.privileged,
      hostMaxCap: hostLastCap(),
      ...(config.privileged ? { hostBounding: hostBoundingSet() } : {}),
    });
    hardLimits ??= hostHardLimits(readFileSync('/proc/self/limits', 'utf8'));
    const ul = planUlimits(id, config.ulimits ?? [], hardLimits);
    for (const w of ul.warnings) options.onWarning?.(w);
    const env = containerEnv(config);
    const deviceRules = [...DEFAULT_DEVICE_RULES, ...cgOpts.deviceRules];
    const records = planShimConfig({
      deviceRules,
      config,
      paths,
      lowerDirs,
      caps,
      cgroup,
      env,
      rlimits: ul.records,
      attach: options.attach ?? false,
      userns,
      devices,
      foreground: options.foreground ?? false,
      cgroupPlan,
      shimGroup: cgroups.shimGroup(),
    });
    if (userns) for (let i = 0; i <= lowerDirs.length; i++) mkdirSync(join(paths.dir, 'lower', String(i)), { recursive: true });
    writeFileSync(paths.shimConf, encodeShimConfig(records), { mode: 0o600 });
    const stored: StoredContainer = {
      config,
      caps,
      env,
      cloneFlags: namespaceFlags(config).clone | (userns ? CLONE.NEWUSER : 0),
      cgroupRoot: rt.cgroupRoot,
      createdAt: previous?.createdAt ?? new Date().toISOString(),
      ...(userns ? { usernsLease: userns.file } : {}),
    };
    writeJson(paths.config, stored);
    return partial(stored);
  } catch (err) {
    throw rollbackError(id, err, await rollbackPrepared(partial(undefined)));
  }
}

/**
 * Takes a prepared (or half-prepared) container away again: cgroup, user namespace lease
 * (unless kept from a previous run), dirs. A failed re-run leaves the container as it found
 * it (its layer kept). Returns the cleanup errors (gathered, not thrown).
 */
export async function rollbackPrepared(p: PreparedContainer): Promise<unknown[]> {
  const cleanup: unknown[] = [];
  await p.cgroups.remove(p.id).catch((e: unknown) => cleanup.push(e));
  if (p.userns && p.userns !== p.keptUserns) (await import('./userns.js')).releaseUserns(p.userns.file);
  for (const d of p.reused ? [p.paths.state, p.paths.exit, p.paths.runDir] : [p.paths.dir, p.paths.runDir]) {
    try {
      rmSync(d, { recursive: true, force: true });
    } catch (e) {
      cleanup.push(e);
    }
  }
  return cleanup;
}

/** The error to throw after a rollback: the original, or both when the cleanup failed too. */
export function rollbackError(id: string, err: unknown, cleanup: readonly unknown[]): unknown {
  if (cleanup.length === 0) return err;
  return new AggregateBerthError('runtime/cleanup', `container ${id}: create failed (${String((err as Error).message)}) and cleanup failed`, cleanup);
}

function writeInitFiles(paths: ContainerPaths, config: ContainerConfig): void {
  const host = config.hostname ?? config.id.slice(0, 12);
  writeFileSync(join(paths.init, 'etc', 'hostname'), `${host}\n`);
  writeFileSync(join(paths.init, 'etc', 'hosts'), config.initFiles?.hosts ?? `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t${host}\n`);
  let resolv = config.initFiles?.resolvConf;
  if (resolv === undefined) {
    try {
      resolv = readFileSync('/etc/resolv.conf', 'utf8');
    } catch {
      resolv = '';
    }
  }
  writeFileSync(join(paths.init, 'etc', 'resolv.conf'), resolv);
}

function containerEnv(config: ContainerConfig): string[] {
  const env = [...(config.process.env ?? [])];
  const has = (k: string): boolean => env.some((e) => e.startsWith(`${k}=`));
  if (!has('PATH')) env.unshift(`PATH=${DEFAULT_PATH}`);
  if (!has('HOSTNAME')) env.push(`HOSTNAME=${config.hostname ?? config.id.slice(0, 12)}`);
  if (!has('HOME')) env.push(`HOME=${(config.process.user?.uid ?? 0) === 0 ? '/root' : '/'}`);
  return env;
}

/** The container's root (an unprivileged host uid) must be able to reach its rw layer. */
function checkSearchable(id: string, dir: string): void {
  for (let d = dirname(dir); d !== dirname(d); d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) {
      throw new BerthError('runtime/userns-path', `container ${id}: ${d} is not searchable by others, so a user-namespaced container cannot reach its layer`, {
        hint: 'use a BERTH_ROOT whose parent directories have o+x (e.g. /var/lib/berth)',
      });
    }
  }
}

/** blkio limits name host device paths; the cgroup files want `major:min`. */
async function withDeviceNumbers(id: string, r: ResourcesConfig): Promise<ResourcesConfig> {
  if (!BLKIO_LISTS.some(([k]) => (r[k]?.length ?? 0) > 0)) return r;
  const { deviceNumber } = await import('./devices.js');
  const out: Record<string, unknown> = { ...r };
  for (const [k] of BLKIO_LISTS) if (r[k]) out[k] = r[k].map((d) => ({ device: deviceNumber(id, d.device), value: d.value }));
  return out as ResourcesConfig;
}

/** compose `device_cgroup_rules` (`c 1:3 mr`, `b 8:* rw`): checked before any reaches devices.allow. */
function checkDeviceRules(id: string, rules: readonly string[]): string[] {
  for (const rule of rules) {
    if (!/^[abc] (\*|\d+):(\*|\d+) [rwm]{1,3}$/.test(rule)) throw new BerthError('runtime/device', `container ${id}: invalid device cgroup rule "${rule}" (as "c 1:3 rwm")`);
  }
  return [...rules];
}
