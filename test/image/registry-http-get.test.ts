// httpGet (a pull's GETs over node:http): redirects followed as fetch follows them, the
// Authorization header kept on the registry's own origin and dropped when a redirect leaves
// it (a CDN never sees the registry token), a redirect loop ended, status and headers passed on.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpGet } from '../../src/image/registry/http-get.js';

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; base: string }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

let registry: { server: Server; base: string };
let cdn: { server: Server; base: string };

test.before(async () => {
  cdn = await listen((req, res) => res.writeHead(200, { 'x-auth': req.headers.authorization ?? 'none' }).end(`cdn ${req.headers.range ?? ''}`));
  registry = await listen((req, res) => {
    if (req.url === '/same') res.writeHead(307, { location: '/final' }).end();
    else if (req.url === '/cross') res.writeHead(302, { location: `${cdn.base}/blob` }).end();
    else if (req.url === '/loop') res.writeHead(301, { location: '/loop' }).end();
    else if (req.url === '/final') res.writeHead(200, { 'x-auth': req.headers.authorization ?? 'none' }).end('registry');
    else res.writeHead(404, 'Not Found').end('{"errors":[]}');
  });
});
test.after(async () => {
  for (const s of [registry, cdn]) await new Promise((r) => s.server.close(r));
});

const read = async (body: AsyncIterable<Buffer>): Promise<string> => {
  let out = '';
  for await (const c of body) out += c.toString();
  return out;
};

test('a redirect within the origin keeps the Authorization header', async () => {
  const res = await httpGet(`${registry.base}/same`, { authorization: 'Bearer t' });
  assert.is(res.status, 200);
  assert.ok(res.ok);
  assert.is(res.headers.get('X-Auth'), 'Bearer t');
  assert.is(await read(res.body), 'registry');
});

test('a redirect to another origin drops the Authorization header and keeps the others (range)', async () => {
  const res = await httpGet(`${registry.base}/cross`, { authorization: 'Bearer t', range: 'bytes=5-' });
  assert.is(res.headers.get('x-auth'), 'none');
  assert.is(await read(res.body), 'cdn bytes=5-');
});

test('a redirect loop ends with an error; a 404 comes back as it is', async () => {
  const err = await httpGet(`${registry.base}/loop`, {}).catch((e: unknown) => e);
  assert.is((err as { code?: string }).code, 'ERR_TOO_MANY_REDIRECTS');
  const res = await httpGet(`${registry.base}/missing`, {});
  assert.is(res.status, 404);
  assert.not.ok(res.ok);
  assert.is(res.statusText, 'Not Found');
  assert.is(await res.text(), '{"errors":[]}');
});

// over TLS with the machine's trust store plus NODE_EXTRA_CA_CERTS, as fetch did (read at a
// process's start: the GET runs in a child node)
test('https: a server whose certificate is trusted answers; an untrusted one is refused', async () => {
  if (!existsSync('/usr/bin/openssl')) {
    console.log('  skip: no /usr/bin/openssl to make a certificate');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'berth-http-get-'));
  try {
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const server = createTlsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => res.end('over tls'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `https://127.0.0.1:${(server.address() as { port: number }).port}/blob`;
      const script = `import { httpGet } from ${JSON.stringify(join(import.meta.dirname, '../../src/image/registry/http-get.js'))};
        httpGet(${JSON.stringify(url)}, {}).then(async (r) => { let b = ''; for await (const c of r.body) b += c; console.log(r.status, b); }, (e) => console.log('refused', e.code));`;
      // spawnSync would block this process's server: the child runs while the event loop turns
      const run = (env: NodeJS.ProcessEnv): Promise<string> =>
        new Promise((resolve) => {
          const c = spawn(process.execPath, ['--input-type=module', '-e', script], { env, stdio: ['ignore', 'pipe', 'inherit'] });
          let out = '';
          c.stdout.on('data', (d: Buffer) => (out += d.toString()));
          c.on('close', () => resolve(out.trim()));
        });
      assert.is(await run({ ...process.env, NODE_EXTRA_CA_CERTS: cert }), '200 over tls');
      const { NODE_EXTRA_CA_CERTS: _, ...without } = process.env;
      assert.match(await run(without), /^refused [A-Z_]+/);
    } finally {
      await new Promise((r) => server.close(r));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
