/**
 * `cp` between the host and a service container, with docker cp's rules (`-a`, `-L`, `-`
 * for a tar on stdin/stdout). Inside the container every path is resolved by the
 * container's own `tar` (run through exec), so a symlink there can never redirect a write
 * onto the host. The other way, what the container's `tar` sends is untrusted: it is
 * extracted streamed by cp-extract.ts, which never writes through a symlink.
 */
import { BerthError } from '../errors.js';
import type { EngineContext } from './context.js';
import { observeProject } from './observe.js';
import { projectNameOf } from './project-source.js';
import type { CopyOptions } from '../api/index.js';
import { tarHeader, padding, TAR_END, type TarWriteHeader } from '../image/index.js';
import { SafeDir } from '../util/safe-path/index.js';
import { extractTar } from './cp-extract.js';
import { noContainerFor } from './errors.js';
const { PassThrough, Readable, Writable } = process.getBuiltinModule('node:stream');
const { createReadStream, existsSync, lstatSync, readdirSync, readlinkSync, statSync } = process.getBuiltinModule('node:fs');
const { basename, dirname, join, posix, resolve } = process.getBuiltinModule('node:path');

async function target(ctx: EngineContext, o: CopyOptions): Promise<string> {
  const { name } = await projectNameOf(o.source);
  const snap = await observeProject(ctx, name);
  const c = snap.containers.find((x) => x.service === o.service && x.number === (o.index ?? 1) && !x.oneoff);
  if (!c) throw noContainerFor(o.service, name);
  if (c.status !== 'running') throw new BerthError('engine/not-running', `container ${c.name} is not running; berth cp needs a running container`);
  return c.id;
}

const STDERR_MAX = 64 << 10;

/** Runs `args` in the container with the given stdio; stderr is kept (capped) for the error message. */
async function run(
  ctx: EngineContext,
  id: string,
  args: string[],
  io: { stdin?: NodeJS.ReadableStream; stdout?: NodeJS.WritableStream; signal?: AbortSignal },
): Promise<{ code: number; err: string }> {
  if (!ctx.ports.runtime.execAttached) throw new BerthError('engine/unsupported', 'cp needs exec with standard streams');
  let err = '';
  const stderr = new Writable({ write: (c: Buffer, _e, cb) => ((err = (err + c.toString()).slice(0, STDERR_MAX)), cb()) });
  const stdout = io.stdout ?? new Writable({ write: (_c, _e, cb) => cb() });
  const code = await ctx.ports.runtime.execAttached(id, { args, ...(io.signal ? { signal: io.signal } : {}) }, { ...(io.stdin ? { stdin: io.stdin } : {}), stdout, stderr });
  return { code, err: err.trim() };
}

function failed(what: string, r: { code: number; err: string }): BerthError {
  return new BerthError('engine/cp', `${what} failed: ${r.err.split('\n')[0] || `tar exited with ${r.code}`}`);
}

export async function copy(ctx: EngineContext, o: CopyOptions): Promise<void> {
  const id = await target(ctx, o);
  if (o.direction === 'to-container') await copyIn(ctx, id, o);
  else await copyOut(ctx, id, o);
}

/** Host -> container: a tar stream of the host path (or stdin's) into the container's `tar x`. */
async function copyIn(ctx: EngineContext, id: string, o: CopyOptions): Promise<void> {
  const what = `copying into ${o.service}:${o.containerPath}`;
  const isDir = (await run(ctx, id, ['test', '-d', o.containerPath], {})).code === 0;
  let tar: NodeJS.ReadableStream;
  let destDir: string;
  if (o.hostPath === '-') {
    if (!isDir) throw new BerthError('engine/cp', `${what}: the destination must be a directory for a tar archive on stdin`);
    if (!o.stdin) throw new BerthError('engine/unsupported', 'cp: no standard input to read the archive from');
    tar = o.stdin;
    destDir = o.containerPath;
  } else {
    const src = resolve(o.hostPath);
    if (!existsSync(src) && !lstatOrUndefined(src)) throw new BerthError('engine/cp-source', `no such file or directory: ${o.hostPath}`);
    destDir = isDir ? o.containerPath : posix.dirname(o.containerPath);
    const name = isDir ? basename(src) : posix.basename(o.containerPath);
    tar = Readable.from(hostTar(src, name, o.archive === true, o.followLink === true));
  }
  const r = await run(ctx, id, ['tar', 'x', '-C', destDir], { stdin: tar, ...(o.signal ? { signal: o.signal } : {}) });
  if (r.code !== 0) throw failed(what, r);
}

function lstatOrUndefined(p: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

/** The host tree at `src` as tar chunks, named `as`, streamed file by file. */
async function* hostTar(src: string, as: string, archive: boolean, follow: boolean): AsyncGenerator<Buffer> {
  async function* walk(p: string, name: string, top: boolean): AsyncGenerator<Buffer> {
    const st = top && follow ? statSync(p) : lstatSync(p);
    const h = { mode: st.mode & 0o7777, mtime: Math.floor(st.mtimeMs / 1000), uid: archive ? st.uid : 0, gid: archive ? st.gid : 0 };
    if (st.isSymbolicLink()) yield tarHeader({ ...h, name, type: 'symlink', linkname: readlinkSync(p) });
    else if (st.isDirectory()) {
      yield tarHeader({ ...h, name: `${name}/`, type: 'directory' });
      for (const e of readdirSync(p).sort()) yield* walk(join(p, e), `${name}/${e}`, false);
    } else if (st.isFile()) {
      const header: TarWriteHeader = { ...h, name, type: 'file', size: st.size };
      yield tarHeader(header);
      let n = 0;
      if (st.size > 0) {
        for await (const c of createReadStream(p, { end: st.size - 1 })) {
          n += (c as Buffer).length;
          yield c as Buffer;
        }
      }
      if (n !== st.size) throw new BerthError('engine/cp-source', `${p} changed size while it was copied`);
      yield padding(st.size);
    }
  }
  yield* walk(src, as, true);
  yield TAR_END;
}

/** Container -> host (or stdout): the container's `tar c` streamed into the safe extractor. */
async function copyOut(ctx: EngineContext, id: string, o: CopyOptions): Promise<void> {
  const what = `cp ${o.service}:${o.containerPath}`;
  let src = o.containerPath;
  if (o.followLink) {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const r = await run(ctx, id, ['readlink', '-f', '--', src], { stdout: out });
    if (r.code !== 0) throw failed(`${what}: following the link`, r);
    src = Buffer.concat(chunks).toString().trim();
  }
  const contents = o.containerPath.endsWith('/.');
  const srcName = contents ? '.' : posix.basename(o.containerPath);
  const tarName = contents ? '.' : posix.basename(src);
  const args = ['tar', 'c', '-C', contents ? src : posix.dirname(src), tarName];
  if (o.hostPath === '-') {
    if (!o.stdout) throw new BerthError('engine/unsupported', 'cp: no standard output to write the archive to');
    const r = await run(ctx, id, args, { stdout: o.stdout, ...(o.signal ? { signal: o.signal } : {}) });
    if (r.code !== 0) throw failed(what, r);
    return;
  }
  const abort = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, abort.signal]) : abort.signal;
  const pipe = new PassThrough();
  const exec = run(ctx, id, args, { stdout: pipe, signal }).finally(() => pipe.end());
  try {
    await extractTar(pipe, { what, archive: o.archive === true, signal, start: (first) => destination(what, o.hostPath, srcName, tarName, first.type === 'directory', contents) });
  } catch (err) {
    abort.abort(); // the container's tar is stopped; nothing more is read
    await exec.catch(() => undefined);
    throw err;
  }
  const r = await exec;
  if (r.code !== 0) throw failed(what, r);
}

/**
 * Where the copy lands, as docker cp decides: into DEST when it is a directory (contents
 * only for `SRC/.`), else as DEST itself (its parent must exist).
 */
function destination(what: string, hostPath: string, srcName: string, tarName: string, srcIsDir: boolean, contents: boolean): { root: SafeDir; rename: (n: string) => string } {
  const dest = resolve(hostPath);
  const st = lstatOrUndefined(dest) && statSync(dest);
  const strip = (n: string): string => (n === tarName ? '' : n.startsWith(`${tarName}/`) ? n.slice(tarName.length + 1) : n);
  if (st && st.isDirectory()) {
    return { root: SafeDir.open(dest), rename: contents ? strip : (n) => join(srcName, strip(n)) };
  }
  if (st && srcIsDir) throw new BerthError('engine/cp', `${what}: cannot copy a directory to the file ${hostPath}`);
  if (!st && !srcIsDir && hostPath.endsWith('/')) throw new BerthError('engine/cp', `${what}: the destination directory ${hostPath} does not exist`);
  if (!existsSync(dirname(dest))) throw new BerthError('engine/cp', `${what}: the destination's parent ${dirname(dest)} does not exist`);
  return { root: SafeDir.open(dirname(dest)), rename: (n) => join(basename(dest), strip(n)) };
}
