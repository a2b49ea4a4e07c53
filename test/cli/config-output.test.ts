// `berth config -o FILE` writes what stdout would show; `--hash` prints one line per service.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/main.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-config-'));
const home = process.cwd();
test.after(() => {
  process.chdir(home);
  rmSync(dir, { recursive: true, force: true });
});

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, cb) {
        append(String(chunk));
        cb();
      },
    });
  const code = await main(argv, { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)) });
  return { code, out, err };
}

test('-o writes the canonical output to a file', async () => {
  writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx\n    ports: ["80:80"]\n');
  process.chdir(dir);
  const shown = await run(['-p', 'demo', 'config']);
  assert.is(shown.code, 0, shown.err);
  const saved = await run(['-p', 'demo', 'config', '-o', 'out.yaml']);
  assert.is(saved.code, 0, saved.err);
  assert.is(saved.out, '');
  assert.is(readFileSync(join(dir, 'out.yaml'), 'utf8'), shown.out);
});

test('--hash is stable and changes with the service config', async () => {
  process.chdir(dir);
  const a = await run(['-p', 'demo', 'config', '--hash', 'web']);
  const b = await run(['-p', 'demo', 'config', '--hash', '*']);
  assert.match(a.out, /^web [0-9a-f]{64}\n$/);
  assert.is(a.out, b.out);
  writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx:2\n');
  const c = await run(['-p', 'demo', 'config', '--hash', 'web']);
  assert.is.not(c.out, a.out);
});

test('flags that select different views cannot be combined; a bad file exits 1 without a stack', async () => {
  process.chdir(dir);
  const both = await run(['config', '--services', '--volumes']);
  assert.is(both.code, 2);
  writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: [oops\n');
  const bad = await run(['config']);
  assert.is(bad.code, 1);
  assert.match(bad.err, /compose\.yaml:\d+:\d+: invalid YAML/);
  assert.not.match(bad.err, /^\s+at /m);
});

test("--variables: a table of the variables and their defaults (compose's columns); --format json", async () => {
  writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: "nginx:${TAG:-1.25}"\n    ports: ["${PORT:?set PORT}:80"]\n    environment: { MODE: "${MODE:+on}" }\n');
  process.chdir(dir);
  const r = await run(['-p', 'demo', 'config', '--variables']);
  assert.is(r.code, 0, r.err);
  assert.is(r.out, 'NAME   REQUIRED   DEFAULT VALUE   ALTERNATE VALUE\nMODE   false                      on\nPORT   true\nTAG    false      1.25\n');
  const json = JSON.parse((await run(['-p', 'demo', 'config', '--variables', '--format', 'json'])).out) as Record<string, { Required: boolean }>;
  assert.is(json.PORT!.Required, true);
});

test('--no-normalize: the merged model as written (interpolated), no defaults added', async () => {
  writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: "nginx:${TAG:-1.25}"\n');
  process.chdir(dir);
  const raw = await run(['-p', 'demo', 'config', '--no-normalize', '--format', 'json']);
  assert.is(raw.code, 0, raw.err);
  assert.equal(JSON.parse(raw.out), { services: { web: { image: 'nginx:1.25' } } });
  const full = await run(['-p', 'demo', 'config', '--format', 'json']);
  assert.ok((JSON.parse(full.out) as { networks?: unknown }).networks, 'the normalized form has the default network');
});

test.run();
