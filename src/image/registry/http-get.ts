// A GET as a Node stream (node:http / node:https), redirects followed as fetch does (the
// Authorization header is dropped when a redirect leaves the origin). A pull's GETs (token,
// manifests, config, layers) go this way: a layer's bytes reach the unpacker without fetch's
// web streams, which copy every 64 KB chunk and cost several promises each (about 40% of
// Node's CPU on a large layer), and a pull does not load fetch's undici at all (60-80 ms of
// CPU before the first request). Pushes and login stay on fetch.
import type { IncomingMessage } from 'node:http';
const http = process.getBuiltinModule('node:http');
const https = process.getBuiltinModule('node:https');

/** As much of a fetch Response as a pull uses. */
export interface GetResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  readonly body: AsyncIterable<Buffer>;
  /** Drops the rest of the body (and the connection). */
  cancel(): Promise<void>;
  text(): Promise<string>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;
/** As undici's default body and headers timeouts: a registry silent this long has failed. */
const IDLE_MS = 300_000;

function get(url: URL, headers: Readonly<Record<string, string>>, signal: AbortSignal | undefined): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const mod = url.protocol === 'https:' ? https : http;
    const req = mod.get(url, { headers, ...(signal ? { signal } : {}) }, resolve);
    req.setTimeout(IDLE_MS, () => req.destroy(Object.assign(new Error(`no data for ${IDLE_MS / 1000} s`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
  });
}

function wrap(res: IncomingMessage): GetResponse {
  const status = res.statusCode ?? 0;
  return {
    status,
    statusText: res.statusMessage ?? '',
    ok: status >= 200 && status < 300,
    headers: {
      get: (name) => {
        const v = res.headers[name.toLowerCase()];
        return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
      },
    },
    body: res,
    cancel: async () => void res.destroy(),
    text: async () => {
      const parts: Buffer[] = [];
      for await (const c of res) parts.push(c as Buffer);
      return Buffer.concat(parts).toString('utf8');
    },
  };
}

/** GETs `url` with `headers` (lower-case names), following redirects; rejects on a network error. */
export async function httpGet(url: string, headers: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<GetResponse> {
  let current = new URL(url);
  let sent = { ...headers };
  for (let hops = 0; ; hops++) {
    const res = await get(current, sent, signal);
    const location = res.headers.location;
    if (!REDIRECTS.has(res.statusCode ?? 0) || !location) return wrap(res);
    res.resume();
    if (hops === MAX_REDIRECTS) throw Object.assign(new Error('too many redirects'), { code: 'ERR_TOO_MANY_REDIRECTS' });
    const next = new URL(location, current);
    if (next.origin !== current.origin) {
      const { authorization: _, ...rest } = sent;
      sent = rest;
    }
    current = next;
  }
}
