// A new process in a running container: the shim joins its cgroup and namespaces (never
// Node) and applies the same identity and security settings.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from './node-fs.js';
import { join } from 'node:path';
import { BerthError } from '../errors.js';
import { capabilityMask } from './capabilities.js';
import { CLONE, encodeShimConfig, type ShimRecord } from '../native/shim-config.js';

const ALL_NAMESPACES = CLONE.NEWNS | CLONE.NEWPID | CLONE.NEWNET | CLONE.NEWUTS | CLONE.NEWIPC | CLONE.NEWCGROUP;
import { lineSplitter, parseShimFailure, shimError, type ShimFailure } from '../native/shim-protocol.js';
import { cgroupManager } from './cgroups/manager.js';
import { containerPaths } from './layout.js';
import { seccompRecords } from './seccomp.js';
import { containerStateSync, requireStored } from './state.js';
import type { ExecOptions, ExecResult, RuntimeContext } from './types.js';
const { spawn } = process.getBuiltinModule('node:child_process');
const { randomBytes } = process.getBuiltinModule('node:crypto');

export interface ExecProcess {
  readonly child: ChildProcess;
  /** Exit code (128+n when killed by signal n); rejects with a typed error when the shim failed. */
  readonly exit: Promise<number>;
}

/** Streaming form: the caller reads child.stdout/stderr (pipes) and awaits `exit`. */
export function spawnExec(rt: RuntimeContext, id: string, opts: ExecOptions): ExecProcess {
  const stored = requireStored(rt, id);
  const state = containerStateSync(rt, id);
  if (!state || state.status !== 'running') throw new BerthError('runtime/not-running', `container ${id} is not running`);
  if (opts.args.length === 0) throw new BerthError('runtime/no-command', `exec in ${id}: no command given`);
  const c = stored.config;
  const user = opts.user ?? c.process.user;
  const env = [...stored.env.filter((e) => !(opts.env ?? []).some((o) => o.split('=')[0] === e.split('=')[0])), ...(opts.env ?? [])];
  const seccomp = (c.seccomp ?? 'default') === 'default' && !c.privileged;
  const r: ShimRecord[] = [
    ['id', id],
    ['pid', state.pid],
    // every namespace of the target (joined ones too; already-shared ones are a no-op)
    ['clone', ALL_NAMESPACES | (stored.cloneFlags & CLONE.NEWUSER)],
    ['caps', capabilityMask(stored.caps)],
    ['nnp', c.noNewPrivileges ?? true],
    ['seccomp', seccomp],
    ['uid', user?.uid ?? 0],
    ['gid', user?.gid ?? 0],
    ['cwd', opts.cwd ?? c.process.cwd ?? '/'],
    ['tty', opts.tty ?? false],
  ];
  for (const g of user?.additionalGids ?? []) r.push(['group', g]);
  for (const f of cgroupManager(stored.cgroupRoot).placement(id).procsFiles) r.push(['cgroup_procs', f]);
  for (const a of opts.args) r.push(['arg', a]);
  for (const e of env) r.push(['env', e]);
  if (seccomp) r.push(...seccompRecords(stored.caps));
  const paths = containerPaths(rt, id);
  mkdirSync(paths.runDir, { recursive: true });
  const conf = join(paths.runDir, `exec-${randomBytes(6).toString('hex')}.conf`);
  writeFileSync(conf, encodeShimConfig(r), { mode: 0o600 });
  const child = spawn(rt.shimPath, ['exec', conf], { stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe', 'ignore', 'pipe'] });
  let failure: ShimFailure | undefined;
  (child.stdio[4] as NodeJS.ReadableStream).on(
    'data',
    lineSplitter((line) => {
      failure = parseShimFailure(line) ?? failure;
    }),
  );
  const exit = new Promise<number>((resolve, reject) => {
    child.on('error', (err) => reject(new BerthError('runtime/shim', `exec in ${id}: cannot run the shim: ${err.message}`, { cause: err })));
    child.on('close', (code, sig) => {
      rmSync(conf, { force: true });
      if (failure && failure.syscall !== 'execve' && code === 127) reject(shimError(id, failure));
      else resolve(code ?? 128 + (sig ? 9 : 0));
    });
  });
  if (opts.signal) opts.signal.addEventListener('abort', () => child.kill('SIGKILL'), { once: true });
  return { child, exit };
}

/** Runs a command in the container and collects its output. */
export async function execInContainer(rt: RuntimeContext, id: string, opts: ExecOptions): Promise<ExecResult> {
  const { child, exit } = spawnExec(rt, id, opts);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on('data', (d: Buffer) => out.push(d));
  child.stderr?.on('data', (d: Buffer) => err.push(d));
  const exitCode = await exit;
  return { exitCode, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}
