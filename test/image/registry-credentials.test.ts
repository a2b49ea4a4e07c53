// Registry credentials (issue 12): never over plain HTTP unless the host is loopback or named
// in BERTH_INSECURE_REGISTRIES (also for a token realm the registry names); a docker.io
// mirror gets its own host's credentials, never Docker Hub's.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mayCarryCredentials } from '../../src/image/registry/config.js';
import { clientFor } from '../../src/image/registry/resolve.js';
import { parseReference } from '../../src/image/reference.js';
import { BerthError } from '../../src/errors.js';
import type { RegistryConfig } from '../../src/image/types.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-regcred-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const auth = (user: string, pw: string) => ({ auth: Buffer.from(`${user}:${pw}`).toString('base64') });
function config(auths: Record<string, { auth: string }>, insecure: string[] = []): RegistryConfig {
  const file = join(dir, `auth-${Math.random().toString(16).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ auths }));
  return { mirrors: [], insecure, authFiles: [file], loginFile: file };
}

/** A registry that answers every request 401 with `challenge` (a function of its own URL) and records Authorization headers. */
async function challenger(host: string, challenge: (base: string) => string): Promise<{ server: Server; base: string; seen: string[] }> {
  const seen: string[] = [];
  let base = '';
  const server = createServer((req, res) => {
    seen.push(`${req.url} ${req.headers.authorization ?? '-'}`);
    res.writeHead(401, { 'www-authenticate': challenge(base) }).end();
  });
  await new Promise<void>((r) => server.listen(0, host === '127.0.0.1' ? host : '0.0.0.0', r));
  const port = (server.address() as { port: number }).port;
  base = `http://${host}:${port}`;
  return { server, base, seen };
}

const stop = (s: Server) => new Promise<void>((r) => s.close(() => r()));
const hubRef = parseReference('busybox:1.36');
const manifest = (c: ReturnType<typeof clientFor>) => c.fetch(c.url('manifests/1.36'));

test('the rule: https always; plain HTTP only to loopback or a host named insecure', () => {
  const cfg = config({}, ['reg.lan:5000', 'plain.lan']);
  assert.ok(mayCarryCredentials(cfg, 'https://ghcr.io/v2/'));
  assert.ok(mayCarryCredentials(cfg, 'http://127.0.0.1:5000/v2/'));
  assert.ok(mayCarryCredentials(cfg, 'http://localhost:5000/token'));
  assert.ok(mayCarryCredentials(cfg, 'http://reg.lan:5000/v2/'));
  assert.ok(mayCarryCredentials(cfg, 'http://plain.lan/v2/'));
  assert.not.ok(mayCarryCredentials(cfg, 'http://ghcr.io/v2/'));
  assert.not.ok(mayCarryCredentials(cfg, 'http://reg.lan:5001/v2/'));
});

test("a docker.io mirror never gets Docker Hub's credentials, only its own", async () => {
  const mirror = await challenger('127.0.0.1', () => 'Basic realm="mirror"');
  try {
    const host = new URL(mirror.base).host;
    const hubOnly = config({ 'https://index.docker.io/v1/': auth('hub', 'hubpw') });
    const err = await manifest(clientFor(hubOnly, hubRef, { url: mirror.base, mirror: true }, 'pull')).catch((e: unknown) => e);
    assert.ok(err instanceof BerthError && err.code === 'image/unauthorized', String(err));
    assert.ok(
      mirror.seen.every((l) => l.endsWith(' -')),
      `no credentials went to the mirror: ${mirror.seen.join(', ')}`,
    );
    const both = config({ 'https://index.docker.io/v1/': auth('hub', 'hubpw'), [host]: auth('m', 'mpw') });
    await manifest(clientFor(both, hubRef, { url: mirror.base, mirror: true }, 'pull')).catch(() => undefined);
    assert.ok(
      mirror.seen.some((l) => l.endsWith(`Basic ${Buffer.from('m:mpw').toString('base64')}`)),
      "the mirror's own credentials",
    );
    assert.not.ok(mirror.seen.some((l) => l.includes(Buffer.from('hub:hubpw').toString('base64'))));
  } finally {
    await stop(mirror.server);
  }
});

const lan = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
if (lan === undefined) {
  console.log('# skip plain-HTTP credential checks: no non-loopback IPv4 address here');
} else {
  test('credentials are not sent over plain HTTP to a host not named insecure (registry or token realm)', async () => {
    const reg = await challenger(lan, () => 'Basic realm="lan"');
    const realm = await challenger(lan, () => 'Basic realm="token"');
    const loop = await challenger('127.0.0.1', () => `Bearer realm="${realm.base}/token",service="x"`);
    try {
      const host = new URL(reg.base).host;
      const ref = parseReference(`${host}/app:1`);
      const err = await manifest(clientFor(config({ [host]: auth('u', 'pw') }), ref, { url: reg.base, mirror: false }, 'pull')).catch((e: unknown) => e);
      assert.ok(err instanceof BerthError && err.code === 'image/insecure-credentials', String(err));
      assert.match(err.message, 'not sent over plain HTTP');
      assert.ok(
        reg.seen.every((l) => l.endsWith(' -')),
        reg.seen.join(', '),
      );
      // named insecure: the user's explicit choice
      await manifest(clientFor(config({ [host]: auth('u', 'pw') }, [host]), ref, { url: reg.base, mirror: false }, 'pull')).catch(() => undefined);
      assert.ok(
        reg.seen.some((l) => !l.endsWith(' -')),
        'sent once allowed',
      );
      // a loopback registry (allowed) naming a plain-HTTP token realm elsewhere
      const lhost = new URL(loop.base).host;
      const lref = parseReference(`${lhost}/app:1`);
      const err2 = await manifest(clientFor(config({ [lhost]: auth('u', 'pw') }), lref, { url: loop.base, mirror: false }, 'pull')).catch((e: unknown) => e);
      assert.ok(err2 instanceof BerthError && err2.code === 'image/insecure-credentials', String(err2));
      assert.equal(realm.seen, [], 'the realm got nothing');
    } finally {
      await Promise.all([reg, realm, loop].map((s) => stop(s.server)));
    }
  });
}

test.run();
