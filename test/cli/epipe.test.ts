// `berth config | head`: the reader goes away mid-output. berth ends quietly, as a program
// killed by SIGPIPE would (exit 141), with nothing on stderr: no `write EPIPE` stack trace.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = join(import.meta.dirname, '..', '..', '..');

test('a closed stdout ends berth with 141 and no stack trace', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-epipe-'));
  try {
    const services = Array.from({ length: 2000 }, (_, i) => `  s${i}:\n    image: busybox:1.36\n    command: ["echo", "${'x'.repeat(64)}"]\n`).join('');
    writeFileSync(join(dir, 'compose.yaml'), `services:\n${services}`);
    const child = spawn(process.execPath, [join(repo, 'bin', 'berth'), 'config'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // read the first chunk, then go away as `head` does
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    assert.is(stderr, '', 'nothing on stderr');
    assert.is(code, 141);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
