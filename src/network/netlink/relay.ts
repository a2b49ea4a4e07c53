// The transport under `Netlink`: one `berth-net` relay process (native/net/relay.c) that
// opens NETLINK_ROUTE sockets on the host or inside a netns by path and shuttles raw
// messages. Requests are pipelined: replies come back in order, matched FIFO. It also runs
// helper tools (`nft`) for Node: a fork of the small relay instead of Node's whole heap, and
// their completion arrives later as a frame of its own (EXEC_DONE), matched by token; so does
// the end of a link deletion (UNLINK_DONE: the kernel announced the links gone).
import type { ChildProcess } from 'node:child_process';
import { BerthError } from '../../errors.js';
const { spawn } = process.getBuiltinModule('node:child_process');
const { existsSync } = process.getBuiltinModule('node:fs');
const { dirname, join } = process.getBuiltinModule('node:path');

export const OP_OPEN = 1;
export const OP_CALL = 2;
export const OP_CLOSE = 3;
export const OP_SYSCTL = 4;
export const OP_EXEC = 5;
export const OP_UNLINK = 6;
const EXEC_DONE = 0x80000000;
const UNLINK_DONE = 0x40000000;

/** A helper tool's result: exit code (128 + signal when killed), its output. */
export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RelayReply {
  readonly status: number;
  readonly value: number;
  readonly payload: Buffer;
}

/** The seam: the relay, or a fake in unit tests. */
export interface Transport {
  send(op: number, arg: number, payload: Buffer): Promise<RelayReply>;
  /** Runs `path args` with `input` on stdin (optional: fakes need not). */
  exec?(path: string, args: readonly string[], input: string): Promise<ToolResult>;
  /**
   * OP_UNLINK: sends `payload` (u32 length | RTM_DELLINK | NUL-terminated names), resolves
   * with 0 once the kernel announced every named link gone (or the request's ACK came),
   * else with the errno (optional: fakes need not).
   */
  unlink?(handle: number, payload: Buffer): Promise<number>;
  close(): Promise<void>;
}

/** native/build/berth-net, found upward from this file (src/ or dist/src/); env override. */
export function relayPath(): string {
  const env = process.env.BERTH_NET_HELPER;
  if (env) return env;
  let dir = import.meta.dirname;
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'native', 'build', 'berth-net');
    if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  throw new BerthError('network/helper-missing', 'the network helper native/build/berth-net is not built', {
    hint: 'run `node scripts/build-native.mjs` (needs gcc)',
  });
}

interface Pending {
  resolve(r: RelayReply): void;
  reject(e: unknown): void;
}

export class RelayTransport implements Transport {
  readonly #child: ChildProcess;
  readonly #pending: Pending[] = [];
  /** Running tools by token, and completions that came before their token was known. */
  readonly #execs = new Map<number, { resolve(r: ToolResult): void; reject(e: unknown): void }>();
  readonly #early = new Map<number, ToolResult>();
  /** Deletions in progress by token, and their ends that came before the token was known. */
  readonly #unlinks = new Map<number, { resolve(errno: number): void; reject(e: unknown): void }>();
  readonly #unlinked = new Map<number, number>();
  #buf: Buffer = Buffer.alloc(0);
  #dead: Error | undefined;

  constructor(path = relayPath()) {
    this.#child = spawn(path, [], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.#child.stdout!.on('data', (chunk: Buffer) => this.#onData(chunk));
    this.#child.on('error', (e) => this.#fail(e));
    this.#child.on('exit', (code, sig) => this.#fail(new Error(`berth-net exited (${sig ?? code})`)));
    this.#child.stdin!.on('error', (e) => this.#fail(e));
  }

  send(op: number, arg: number, payload: Buffer): Promise<RelayReply> {
    if (this.#dead) return Promise.reject(this.#dead);
    const head = Buffer.alloc(12);
    head.writeUInt32LE(payload.length, 0);
    head.writeUInt32LE(op, 4);
    head.writeUInt32LE(arg, 8);
    return new Promise((resolve, reject) => {
      this.#pending.push({ resolve, reject });
      this.#child.stdin!.write(payload.length ? Buffer.concat([head, payload]) : head);
    });
  }

  async exec(path: string, args: readonly string[], input: string): Promise<ToolResult> {
    const argv = Buffer.from(`${[path, ...args].join('\0')}\0\0`);
    const r = await this.send(OP_EXEC, 0, Buffer.concat([argv, Buffer.from(input)]));
    if (r.status !== 0) throw new BerthError('network/helper-failed', `network helper could not run ${path}: errno ${r.status}`);
    const early = this.#early.get(r.value);
    if (early) {
      this.#early.delete(r.value);
      return early;
    }
    if (this.#dead) throw this.#dead;
    return new Promise((resolve, reject) => this.#execs.set(r.value, { resolve, reject }));
  }

  async unlink(handle: number, payload: Buffer): Promise<number> {
    const r = await this.send(OP_UNLINK, handle, payload);
    if (r.status !== 0) return r.status;
    const early = this.#unlinked.get(r.value);
    if (early !== undefined) {
      this.#unlinked.delete(r.value);
      return early;
    }
    if (this.#dead) throw this.#dead;
    return new Promise((resolve, reject) => this.#unlinks.set(r.value, { resolve, reject }));
  }

  async close(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = new Promise<void>((r) => this.#child.once('exit', () => r()));
    this.#child.stdin!.end();
    await exited;
  }

  #onData(chunk: Buffer): void {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk;
    while (this.#buf.length >= 12) {
      const len = this.#buf.readUInt32LE(0);
      if (this.#buf.length < 12 + len) break;
      const reply: RelayReply = {
        status: this.#buf.readUInt32LE(4),
        value: this.#buf.readUInt32LE(8),
        payload: Buffer.from(this.#buf.subarray(12, 12 + len)),
      };
      this.#buf = this.#buf.subarray(12 + len);
      if ((reply.status & EXEC_DONE) !== 0) this.#execDone(reply);
      else if ((reply.status & UNLINK_DONE) !== 0) this.#unlinkDone(reply.value, reply.status & ~UNLINK_DONE);
      else this.#pending.shift()?.resolve(reply);
    }
  }

  #execDone(reply: RelayReply): void {
    const code = reply.status & 0x100 ? 128 + (reply.status & 0xff) : reply.status & 0xff;
    const outLen = reply.payload.readUInt32LE(0);
    const result: ToolResult = { code, stdout: reply.payload.toString('utf8', 4, 4 + outLen), stderr: reply.payload.toString('utf8', 4 + outLen) };
    const waiter = this.#execs.get(reply.value);
    if (!waiter) return void this.#early.set(reply.value, result);
    this.#execs.delete(reply.value);
    waiter.resolve(result);
  }

  #unlinkDone(token: number, errno: number): void {
    const waiter = this.#unlinks.get(token);
    if (!waiter) return void this.#unlinked.set(token, errno);
    this.#unlinks.delete(token);
    waiter.resolve(errno);
  }

  #fail(e: Error): void {
    this.#dead ??= e;
    for (const [token, x] of [...this.#execs, ...this.#unlinks]) {
      this.#execs.delete(token);
      this.#unlinks.delete(token);
      x.reject(new BerthError('network/helper-failed', `network helper failed: ${e.message}`, { cause: e }));
    }
    for (const p of this.#pending.splice(0)) p.reject(new BerthError('network/helper-failed', `network helper failed: ${e.message}`, { cause: e }));
  }
}
