// A tiny in-process registry for the cases docker-registry cannot play: Bearer token auth,
// blob redirects, corrupt, oversized or cut blobs, a wrong Docker-Content-Digest, and a stalling blob.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';

export interface FakeOptions {
  readonly token?: { user?: string; password?: string };
  readonly redirectBlobs?: boolean;
  /** Digest of a blob to corrupt (one byte flipped) when served. */
  readonly corruptBlob?: string | undefined;
  /** Serve manifests with this Docker-Content-Digest instead of the real one. */
  readonly wrongManifestDigest?: boolean;
  /** Digest of a blob to stall halfway (the connection stays open). */
  readonly stallBlob?: string;
  /** Digest of a blob served with 8 MiB more than its descriptor declares. */
  readonly oversizeBlob?: string;
  /** Digest of a blob whose connection is closed halfway (its full length announced). */
  readonly truncateBlob?: string;
}

export interface FakeRegistry {
  readonly url: string;
  readonly host: string;
  readonly log: string[];
  addBlob(data: Buffer): string;
  addManifest(repo: string, tag: string, body: Buffer, mediaType: string): string;
  stop(): Promise<void>;
}

const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export async function startFakeRegistry(o: FakeOptions = {}): Promise<FakeRegistry> {
  const blobs = new Map<string, Buffer>();
  const manifests = new Map<string, { body: Buffer; mediaType: string }>();
  const log: string[] = [];
  const open = new Set<ServerResponse>();
  let base = '';
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', base);
    log.push(`${req.method} ${url.pathname}${url.search}${req.headers.range ? ` range=${req.headers.range}` : ''}`);
    if (url.pathname === '/token') {
      if (o.token?.user) {
        const want = `Basic ${Buffer.from(`${o.token.user}:${o.token.password}`).toString('base64')}`;
        if (req.headers.authorization !== want) {
          res.writeHead(401).end('{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]}');
          return;
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: 'good-token' }));
      return;
    }
    if (url.pathname.startsWith('/storage/')) {
      const b = blobs.get(url.pathname.slice(9));
      if (!b) res.writeHead(404).end();
      else res.writeHead(200, { 'content-length': b.length }).end(b);
      return;
    }
    if (o.token && req.headers.authorization !== 'Bearer good-token') {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${base}/token",service="fake-registry",scope="repository:x:pull"` }).end();
      return;
    }
    if (url.pathname === '/v2/') {
      res.writeHead(200).end('{}');
      return;
    }
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
    if (!m) {
      res.writeHead(404).end();
      return;
    }
    const [, repo, kind, reference] = m;
    if (kind === 'manifests') {
      const man = manifests.get(`${repo}:${reference}`) ?? manifests.get(`${repo}@${reference}`);
      if (!man) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}');
        return;
      }
      const digest = o.wrongManifestDigest ? `sha256:${'0'.repeat(64)}` : sha(man.body);
      res.writeHead(200, { 'content-type': man.mediaType, 'docker-content-digest': digest, 'content-length': man.body.length }).end(req.method === 'HEAD' ? undefined : man.body);
      return;
    }
    const b = blobs.get(reference!);
    if (!b) {
      res.writeHead(404).end('{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown"}]}');
      return;
    }
    if (o.redirectBlobs) {
      res.writeHead(307, { location: `${base}/storage/${reference}` }).end();
      return;
    }
    let data = b;
    if (reference === o.corruptBlob) {
      data = Buffer.from(b);
      data[data.length >> 1] = data[data.length >> 1]! ^ 0xff;
    }
    if (reference === o.oversizeBlob) data = Buffer.concat([b, Buffer.alloc(8 << 20)]);
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range && !o.stallBlob) {
      const from = Number(range[1]);
      if (from >= data.length) {
        res.writeHead(416).end();
        return;
      }
      res.writeHead(206, { 'content-length': data.length - from, 'content-range': `bytes ${from}-${data.length - 1}/${data.length}` }).end(data.subarray(from));
      return;
    }
    res.writeHead(200, { 'content-length': data.length, 'content-type': 'application/octet-stream' });
    if (reference === o.stallBlob) {
      open.add(res);
      res.write(data.subarray(0, data.length >> 1));
      return;
    }
    if (reference === o.truncateBlob) {
      res.write(data.subarray(0, data.length >> 1), () => res.destroy());
      return;
    }
    res.end(data);
  };
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address() as { port: number };
  base = `http://127.0.0.1:${addr.port}`;
  return {
    url: base,
    host: `127.0.0.1:${addr.port}`,
    log,
    addBlob(data) {
      const d = sha(data);
      blobs.set(d, data);
      return d;
    },
    addManifest(repo, tag, body, mediaType) {
      const d = sha(body);
      manifests.set(`${repo}:${tag}`, { body, mediaType });
      manifests.set(`${repo}@${d}`, { body, mediaType });
      return d;
    },
    async stop() {
      for (const r of open) r.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
