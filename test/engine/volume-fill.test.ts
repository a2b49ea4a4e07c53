// Filling a volume from the image (root-free): the target is resolved inside the image
// (through the image's own links, never the host's), upper layers win, links are copied as
// links, and a target that leads out of the image copies nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureVolume, initialiseVolume, volumeDataDir } from '../../src/engine/volumes.js';

const base = mkdtempSync(join(tmpdir(), 'berth-volfill-'));
test.after(() => rmSync(base, { recursive: true, force: true }));
const paths = { root: join(base, 'root'), run: join(base, 'run') };
const top = join(base, 'top');
const low = join(base, 'low');
const outside = join(base, 'outside');
mkdirSync(join(low, 'data', 'd'), { recursive: true });
writeFileSync(join(low, 'data', 'a'), 'low a');
writeFileSync(join(low, 'data', 'd', 'f'), 'low f');
mkdirSync(join(top, 'data'), { recursive: true });
writeFileSync(join(top, 'data', 'a'), 'top a');
symlinkSync('/etc/passwd', join(top, 'data', 'l'));
symlinkSync('/data', join(top, 'vol'));
symlinkSync(outside, join(top, 'hostlink'));
mkdirSync(join(outside, 'sub'), { recursive: true });
writeFileSync(join(outside, 'sub', 'secret'), 'host');

const fill = (name: string, target: string): string[] => {
  ensureVolume(paths, name, 'p');
  initialiseVolume(paths, name, [top, low], target);
  return readdirSync(volumeDataDir(paths, name)).sort();
};

test('through an image link, upper layers win, links stay links', () => {
  assert.equal(fill('v1', '/vol'), ['a', 'd', 'l']);
  const data = volumeDataDir(paths, 'v1');
  assert.is(readFileSync(join(data, 'a'), 'utf8'), 'top a');
  assert.is(readFileSync(join(data, 'd', 'f'), 'utf8'), 'low f');
  assert.is(readlinkSync(join(data, 'l')), '/etc/passwd');
});

test('a target through a link to a host dir copies nothing of the host', () => {
  assert.equal(fill('v2', '/hostlink/sub'), []);
  assert.equal(fill('v3', '/hostlink'), []);
});

test.run();
