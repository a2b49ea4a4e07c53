// Real Debian bookworm images (python3, nginx, redis) for benches and tests: built once by
// bench/real-images.sh (mmdebstrap + umoci, cached outside the repo) and served from a
// loopback docker-registry over the cached storage root.
//
//   const reason = realImagesSkipReason(); if (reason) skip...
//   const reg = await startRealRegistry();   // builds what is missing first (minutes, once)
//   `${reg.host}/${REAL_IMAGES.python}`; ...; await reg.stop();
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startRegistry, type RunningRegistry } from './registry.js';

export const REAL_IMAGES = { python: 'real/python:bookworm', nginx: 'real/nginx:bookworm', redis: 'real/redis:bookworm' } as const;

const SCRIPT = join(import.meta.dirname, '..', '..', '..', 'bench', 'real-images.sh');
const TOOLS = ['/usr/bin/mmdebstrap', '/usr/bin/umoci', '/usr/bin/skopeo', '/usr/bin/docker-registry'];

/** Why the real images cannot be had here (a tool missing and nothing cached), or undefined. */
export function realImagesSkipReason(): string | undefined {
  if (existsSync(join(realImagesDir(), 'registry', '.complete'))) return undefined;
  const missing = TOOLS.filter((t) => !existsSync(t));
  return missing.length ? `real images not cached and ${missing.join(', ')} missing` : undefined;
}

export function realImagesDir(): string {
  return process.env.BERTH_REAL_IMAGES ?? '/var/cache/berth-real-images';
}

/** Builds the real images if missing (idempotent; waits on another builder's lock). */
export function ensureRealImages(): void {
  execFileSync('bash', [SCRIPT, 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** A loopback registry serving the cached real images (read-only use). */
export async function startRealRegistry(): Promise<RunningRegistry> {
  ensureRealImages();
  return startRegistry({ dataDir: join(realImagesDir(), 'registry') });
}
