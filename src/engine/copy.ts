/**
 * `cp` between the host and a service container. All path resolution inside the container
 * happens in the container (busybox/GNU `tar` run through the runtime's exec), so a
 * symlink in the container can never redirect a write onto the host; on the host side
 * entries are checked to stay under the destination.
 */
import { basename, dirname, join, posix, resolve, relative, sep } from 'node:path';
import { BerthError } from '../errors.js';
import type { EngineContext } from './context.js';
import { observeProject } from './observe.js';
import { projectNameOf } from './project-source.js';
import type { CopyOptions } from '../api/index.js';
import { tarBuffer, type TarWriteHeader } from '../image/tar-writer.js';
import { readTar } from '../image/tar-reader.js';
const { Readable, Writable } = process.getBuiltinModule('node:stream');
const { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync, chmodSync, existsSync } = process.getBuiltinModule('node:fs');


async function target(ctx: EngineContext, o: CopyOptions): Promise<string> {
  const { name } = await projectNameOf(o.source);
  const snap = await observeProject(ctx, name);
  const c = snap.containers.find((x) => x.service === o.service && x.number === (o.index ?? 1) && !x.oneoff);
  if (!c) throw new BerthError('engine/no-such-service', `no container found for service ${o.service} in project ${name}`);
  if (c.status !== 'running') throw new BerthError('engine/not-running', `container ${c.name} is not running; berth cp needs a running container`);
  return c.id;
}

async function execCollect(ctx: EngineContext, id: string, args: string[], stdin?: Buffer): Promise<{ code: number; out: Buffer; err: string }> {
  const out: Buffer[] = [];
  let err = '';
  const sinkOut = new Writable({ write: (c: Buffer, _e, cb) => (out.push(Buffer.from(c)), cb()) });
  const sinkErr = new Writable({ write: (c: Buffer, _e, cb) => ((err += c.toString()), cb()) });
  if (!ctx.ports.runtime.execAttached) throw new BerthError('engine/unsupported', 'cp needs exec with standard streams');
  const code = await ctx.ports.runtime.execAttached(id, { args }, { ...(stdin ? { stdin: Readable.from([stdin]) } : {}), stdout: sinkOut, stderr: sinkErr });
  return { code, out: Buffer.concat(out), err };
}

function hostEntries(src: string, as: string): (TarWriteHeader & { data?: Buffer })[] {
  const out: (TarWriteHeader & { data?: Buffer })[] = [];
  const walk = (p: string, name: string): void => {
    const st = lstatSync(p);
    const base = { mode: st.mode & 0o7777, mtime: Math.floor(st.mtimeMs / 1000), uid: 0, gid: 0 };
    if (st.isSymbolicLink()) out.push({ ...base, name, type: 'symlink', linkname: readlinkSync(p) });
    else if (st.isDirectory()) {
      out.push({ ...base, name: `${name}/`, type: 'directory' });
      for (const e of readdirSync(p).sort()) walk(join(p, e), `${name}/${e}`);
    } else if (st.isFile()) {
      const data = readFileSync(p);
      out.push({ ...base, name, type: 'file', size: data.length, data });
    }
  };
  walk(src, as);
  return out;
}

export async function copy(ctx: EngineContext, o: CopyOptions): Promise<void> {
  const id = await target(ctx, o);
  if (o.direction === 'to-container') {
    if (!existsSync(o.hostPath)) throw new BerthError('engine/cp-source', `no such file or directory: ${o.hostPath}`);
    const isDir = (await execCollect(ctx, id, ['test', '-d', o.containerPath])).code === 0;
    const destDir = isDir ? o.containerPath : posix.dirname(o.containerPath);
    const name = isDir ? basename(resolve(o.hostPath)) : posix.basename(o.containerPath);
    const tar = tarBuffer(hostEntries(resolve(o.hostPath), name));
    const r = await execCollect(ctx, id, ['tar', 'x', '-C', destDir], tar);
    if (r.code !== 0) throw new BerthError('engine/cp', `copying into ${o.service}:${o.containerPath} failed: ${r.err.trim() || `tar exited with ${r.code}`}`);
    return;
  }
  const srcDir = posix.dirname(o.containerPath);
  const srcName = posix.basename(o.containerPath);
  const r = await execCollect(ctx, id, ['tar', 'c', '-C', srcDir, srcName]);
  if (r.code !== 0) throw new BerthError('engine/cp', `copying from ${o.service}:${o.containerPath} failed: ${r.err.trim() || `tar exited with ${r.code}`}`);
  const dest = resolve(o.hostPath);
  const intoDir = existsSync(dest) && statSync(dest).isDirectory();
  const root = intoDir ? dest : dirname(dest);
  const rename = (n: string): string => (intoDir ? n : n === srcName || n.startsWith(`${srcName}/`) ? basename(dest) + n.slice(srcName.length) : n);
  for await (const e of readTar(Readable.from([r.out]))) {
    const rel = rename(e.name.replace(/\/$/, ''));
    const out = resolve(root, rel);
    if (relative(root, out).startsWith(`..${sep}`) || relative(root, out) === '..' || rel.startsWith('/')) {
      throw new BerthError('engine/cp-unsafe', `refusing tar entry ${e.name}: it leaves the destination`);
    }
    if (e.type === 'directory') mkdirSync(out, { recursive: true, mode: e.mode });
    else if (e.type === 'file') {
      mkdirSync(dirname(out), { recursive: true });
      const chunks: Buffer[] = [];
      for await (const c of e.body()) chunks.push(c);
      writeFileSync(out, Buffer.concat(chunks));
      chmodSync(out, e.mode & 0o777);
    } else if (e.type === 'symlink') {
      mkdirSync(dirname(out), { recursive: true });
      symlinkSync(e.linkname, out);
    }
  }
}
