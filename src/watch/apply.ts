/**
 * `applyPlan`: carries out a WatchPlan against a `WatchTarget` (the seam the CLI binds to
 * the engine; tests bind a fake). Rebuild is compose's: build the image, recreate the
 * service's containers. Sync is compose's tar syncer: per running container of
 * the service, one `rm -rf` for paths gone from the host, one `tar x -C /` for the rest.
 * A path that vanishes while the archive is built counts as deleted, never as an error.
 */
import { BerthError, describe } from '../errors.js';
import type { ServiceHook } from '../spec/index.js';
import { tarBuffer, type TarWriteHeader } from '../image/index.js';
import type { SyncEntry, WatchPlan, WatchStep } from './plan.js';
const { lstatSync, readFileSync, readlinkSync } = process.getBuiltinModule('node:fs');

export interface ExecResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** What the watcher needs from the engine. */
export interface WatchTarget {
  /** Replica numbers of the service's running containers (oneoffs excluded), sorted. */
  containers(service: string, signal?: AbortSignal): Promise<readonly number[]>;
  exec(service: string, index: number, command: readonly string[], options: { stdin?: Buffer; hook?: ServiceHook; signal?: AbortSignal }): Promise<ExecResult>;
  restart(services: readonly string[], signal?: AbortSignal): Promise<void>;
  /**
   * Builds the services' images with berth's builder, then recreates their containers
   * (`up --build --no-deps --force-recreate`); `prune`: then removes the images the old
   * containers ran on when nothing else uses them (`--prune`).
   */
  rebuild(services: readonly string[], signal?: AbortSignal, options?: { readonly prune?: boolean }): Promise<void>;
}

export type WatchMessage = { readonly level: 'info' | 'warn'; readonly text: string };

export interface ApplyOptions {
  readonly signal?: AbortSignal;
  readonly onMessage?: (m: WatchMessage) => void;
  /** Name every synced path in the message (compose's --debug). */
  readonly verbose?: boolean;
  /** `--prune`: a rebuild removes the images it made dangling. */
  readonly prune?: boolean;
}

type TarEntry = TarWriteHeader & { data?: Buffer };

/** Splits sync entries into an archive (paths present on the host) and deletions. */
export function archiveOf(entries: readonly SyncEntry[]): { tar: Buffer | undefined; deletes: string[]; copied: number } {
  const tarEntries: TarEntry[] = [];
  const deletes: string[] = [];
  for (const e of entries) {
    const name = e.containerPath.replace(/^\/+/, '');
    if (name === '') continue;
    try {
      const st = lstatSync(e.hostPath);
      const base = { mode: st.mode & 0o7777, mtime: Math.floor(st.mtimeMs / 1000), uid: 0, gid: 0 };
      if (st.isSymbolicLink()) tarEntries.push({ ...base, name, type: 'symlink', linkname: readlinkSync(e.hostPath) });
      else if (st.isDirectory()) tarEntries.push({ ...base, name: `${name}/`, type: 'directory' });
      else if (st.isFile()) {
        const data = readFileSync(e.hostPath);
        tarEntries.push({ ...base, name, type: 'file', size: data.length, data });
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') deletes.push(e.containerPath);
      else throw new BerthError('watch/read', `cannot read ${e.hostPath}: ${(err as Error).message}`, { cause: err });
    }
  }
  return { tar: tarEntries.length > 0 ? tarBuffer(tarEntries) : undefined, deletes: [...new Set(deletes)].sort(), copied: tarEntries.length };
}

async function sync(target: WatchTarget, service: string, entries: readonly SyncEntry[], o: ApplyOptions): Promise<void> {
  const { tar, deletes } = archiveOf(entries);
  const signal = o.signal;
  const replicas = await target.containers(service, signal);
  if (replicas.length === 0) o.onMessage?.({ level: 'warn', text: `service ${service} has no running container; changes not synced` });
  for (const index of replicas) {
    if (deletes.length > 0) {
      const r = await target.exec(service, index, ['rm', '-rf', '--', ...deletes], signal ? { signal } : {});
      if (r.code !== 0) throw new BerthError('watch/sync', `service ${service}: removing ${deletes.join(', ')} failed: ${r.stderr.trim() || `rm exited with ${r.code}`}`);
    }
    if (tar) {
      const r = await target.exec(service, index, ['tar', 'x', '-C', '/'], { stdin: tar, ...(signal ? { signal } : {}) });
      if (r.code !== 0) throw new BerthError('watch/sync', `service ${service}: copying into the container failed: ${r.stderr.trim() || `tar exited with ${r.code}`}`);
    }
  }
}

async function applyStep(target: WatchTarget, step: WatchStep, o: ApplyOptions): Promise<void> {
  const say = (level: WatchMessage['level'], text: string): void => o.onMessage?.({ level, text });
  const signal = o.signal;
  switch (step.kind) {
    case 'rebuild': {
      const services = JSON.stringify([step.service]);
      say('info', `Rebuilding service(s) ${services} after changes were detected...`);
      try {
        await target.rebuild([step.service], signal, o.prune ? { prune: true } : {});
      } catch (err) {
        if (signal?.aborted) throw err;
        throw new BerthError('watch/rebuild', `service ${step.service}: rebuild failed: ${describe(err)}`, { cause: err });
      }
      say('info', `service(s) ${services} successfully built and recreated`);
      return;
    }
    case 'sync':
      say(
        'info',
        o.verbose
          ? `Syncing service "${step.service}" after changes were detected: ${step.entries.map((e) => e.hostPath).join(', ')}`
          : `Syncing service "${step.service}" after ${step.entries.length} changes were detected`,
      );
      await sync(target, step.service, step.entries, o);
      return;
    case 'restart':
      await target.restart(step.services, signal);
      say('info', `service(s) ${JSON.stringify(step.services)} restarted`);
      return;
    case 'exec':
      for (const index of await target.containers(step.service, signal)) {
        const r = await target.exec(step.service, index, step.hook.command, { hook: step.hook, ...(signal ? { signal } : {}) });
        const out = (r.stdout + r.stderr).trimEnd();
        if (out) say('info', out);
        if (r.code !== 0) throw new BerthError('watch/exec', `service ${step.service}: ${JSON.stringify(step.hook.command)} exited with ${r.code}`);
      }
      return;
  }
}

/** Applies the steps in order; the first failure stops the batch (as compose). */
export async function applyPlan(target: WatchTarget, plan: WatchPlan, o: ApplyOptions = {}): Promise<void> {
  for (const step of plan.steps) {
    o.signal?.throwIfAborted();
    await applyStep(target, step, o);
  }
}
