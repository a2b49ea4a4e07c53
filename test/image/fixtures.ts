// Small fixture images built with plain tar entries: multi-layer with whiteouts and an
// opaque dir, plus helpers to read a stored image's blobs (to serve them from a fake registry).
import { readFileSync } from 'node:fs';
import { addLayer, writeImage } from '../../src/image/image-builder.js';
import { blobPath, readImageRecord, type ImageStore } from '../../src/image/store.js';
import { tarBuffer } from '../../src/image/tar-writer.js';
import type { Digest, LocalImage } from '../../src/image/types.js';

async function* once(b: Buffer): AsyncGenerator<Buffer> {
  yield b;
}

/** Three layers: base files; whiteout of /etc/a + opaque /dir; a setuid file + hard link. */
export async function buildMultiLayer(s: ImageStore, ref: string, compression: 'gzip' | 'zstd' | 'none' = 'gzip'): Promise<LocalImage> {
  const mtime = 1600000000;
  const l1 = await addLayer(
    s,
    once(
      tarBuffer([
        { name: 'etc/', type: 'directory', mode: 0o755, mtime },
        { name: 'etc/a', type: 'file', mode: 0o644, mtime, data: 'a\n' },
        { name: 'etc/b', type: 'file', mode: 0o644, mtime, data: 'b\n' },
        { name: 'dir/', type: 'directory', mode: 0o755, mtime },
        { name: 'dir/x', type: 'file', mode: 0o644, mtime, data: 'x\n' },
      ]),
    ),
    `${ref} layer 1`,
    compression,
  );
  const l2 = await addLayer(
    s,
    once(
      tarBuffer([
        { name: 'etc/', type: 'directory', mode: 0o755, mtime },
        { name: 'etc/.wh.a', type: 'file', mode: 0o644, mtime, data: '' },
        { name: 'dir/', type: 'directory', mode: 0o755, mtime },
        { name: 'dir/.wh..wh..opq', type: 'file', mode: 0o644, mtime, data: '' },
        { name: 'dir/y', type: 'file', mode: 0o644, mtime, data: 'y\n' },
      ]),
    ),
    `${ref} layer 2`,
    compression,
  );
  const l3 = await addLayer(
    s,
    once(
      tarBuffer([
        { name: 'usr/', type: 'directory', mode: 0o755, mtime },
        { name: 'usr/bin/', type: 'directory', mode: 0o755, mtime },
        {
          name: 'usr/bin/suid',
          type: 'file',
          mode: 0o4755,
          uid: 0,
          gid: 0,
          mtime,
          data: '#!/bin/sh\n',
          xattrs: { 'security.capability': Buffer.from('0100000200200000000000000000000000000000', 'hex') },
        },
        { name: 'usr/bin/suid-link', type: 'hardlink', mode: 0o4755, mtime, linkname: 'usr/bin/suid' },
        { name: 'usr/bin/owned', type: 'file', mode: 0o640, uid: 33, gid: 33, mtime, data: 'www\n' },
        { name: 'usr/fifo', type: 'fifo', mode: 0o600, mtime },
        { name: 'usr/null', type: 'char', mode: 0o666, mtime, devmajor: 1, devminor: 3 },
        { name: 'usr/rel', type: 'symlink', mode: 0o777, mtime, linkname: '../etc/b' },
      ]),
    ),
    `${ref} layer 3`,
    compression,
  );
  return writeImage(s, { layers: [l1, l2, l3], config: { Cmd: ['sh'], Env: ['PATH=/bin'], Labels: { fixture: 'multi' } }, ref, created: '2020-09-13T12:26:40Z' });
}

/** The blobs of a stored image: config, layers, manifest. */
export async function imageBlobs(s: ImageStore, id: Digest): Promise<{ manifest: Buffer; blobs: Buffer[] }> {
  const rec = (await readImageRecord(s, id))!;
  return {
    manifest: readFileSync(blobPath(s, rec.manifest!)),
    blobs: [readFileSync(blobPath(s, rec.id)), ...rec.layers.map((l) => readFileSync(blobPath(s, l.digest)))],
  };
}
