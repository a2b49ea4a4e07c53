// The shim config of an exec (attached or detached): the target's pid, every namespace,
// its cgroup, identity and security. `privileged` (docker exec --privileged) gives this one
// process every capability and no seccomp filter; the container's other processes, its
// masked and read-only paths (its mount namespace) and its device rules stay as they are.
import { BerthError } from '../errors.js';
import { capabilityMask, hostBoundingSet, hostLastCap, resolveCapabilities } from './capabilities.js';
import { CLONE, encodeShimConfig, type ShimRecord } from '../native/index.js';
import { cgroupManager } from './cgroups/manager.js';
import { containerPaths } from './layout.js';
import { seccompRecords } from './seccomp.js';
import { checkUserIds } from '../util/user-ids.js';
import { containerStateSync, requireStored } from './state.js';
import type { ExecOptions, RuntimeContext } from './types.js';
import { notRunning } from './errors.js';
const { mkdirSync, writeFileSync } = process.getBuiltinModule('node:fs');
const { randomBytes } = process.getBuiltinModule('node:crypto');
const { join } = process.getBuiltinModule('node:path');

const ALL_NAMESPACES = CLONE.NEWNS | CLONE.NEWPID | CLONE.NEWNET | CLONE.NEWUTS | CLONE.NEWIPC | CLONE.NEWCGROUP;

/** The records `berth-shim exec` reads (pure apart from reading the container's state). */
export function planExec(rt: RuntimeContext, id: string, opts: ExecOptions & { readonly detach?: boolean }): ShimRecord[] {
  const stored = requireStored(rt, id);
  const state = containerStateSync(rt, id);
  if (!state || state.status !== 'running') throw notRunning(id);
  if (opts.args.length === 0) throw new BerthError('runtime/no-command', `exec in ${id}: no command given`);
  const c = stored.config;
  const user = checkUserIds(`exec in ${id}`, opts.user ?? c.process.user);
  const env = [...stored.env.filter((e) => !(opts.env ?? []).some((o) => o.split('=')[0] === e.split('=')[0])), ...(opts.env ?? [])];
  const privileged = opts.privileged === true || c.privileged === true;
  const caps = opts.privileged && !c.privileged ? resolveCapabilities({ privileged: true, hostMaxCap: hostLastCap(), hostBounding: hostBoundingSet() }) : stored.caps;
  const seccomp = (c.seccomp ?? 'default') === 'default' && !privileged;
  const r: ShimRecord[] = [
    ['id', id],
    ['pid', state.pid],
    // every namespace of the target (joined ones too; already-shared ones are a no-op)
    ['clone', ALL_NAMESPACES | (stored.cloneFlags & CLONE.NEWUSER)],
    ['caps', capabilityMask(caps)],
    ['nnp', c.noNewPrivileges ?? true],
    ['seccomp', seccomp],
    ['uid', user?.uid ?? 0],
    ['gid', user?.gid ?? 0],
    ['cwd', opts.cwd ?? c.process.cwd ?? '/'],
    ['tty', opts.detach ? false : (opts.tty ?? false)],
  ];
  if (opts.detach) r.push(['detach', true]);
  for (const g of user?.additionalGids ?? []) r.push(['group', g]);
  for (const f of cgroupManager(stored.cgroupRoot).placement(id).joinFiles) r.push(['cgroup_join', f]);
  for (const a of opts.args) r.push(['arg', a]);
  for (const e of env) r.push(['env', e]);
  if (seccomp) r.push(...seccompRecords(caps));
  return r;
}

/** Writes the records to a private file in the container's run dir; the caller removes it. */
export function writeExecConfig(rt: RuntimeContext, id: string, records: readonly ShimRecord[]): string {
  const paths = containerPaths(rt, id);
  mkdirSync(paths.runDir, { recursive: true });
  const conf = join(paths.runDir, `exec-${randomBytes(6).toString('hex')}.conf`);
  writeFileSync(conf, encodeShimConfig(records), { mode: 0o600 });
  return conf;
}
