// bench/pull: pull + unpack of a generated ~200 MiB, 4-layer image from a loopback
// docker-registry. berth vs `skopeo copy` + `umoci unpack` (the peers installed here), in
// the same run, 3 rounds each, fresh destination every time. Prints a table with median
// wall time, the ratio, and peak memory (max RSS of each process tree, via /usr/bin/time).
// Usage: node dist/bench/pull.js [--mib 200] [--rounds 3]
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openImageStore } from '../src/image/store.js';
import { addLayer, writeImage } from '../src/image/image-builder.js';
import { pushImage } from '../src/image/push.js';
import { tarHeader, padding, TAR_END } from '../src/image/tar-writer.js';
import { startRegistry, isolatedRegistryConfig } from '../test/helpers/registry.js';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : Number(process.argv[i + 1]);
};
const totalMiB = arg('mib', 200);
const rounds = arg('rounds', 3);
const layers = arg('layers', 4);
const fileKiB = 512;

/** One layer: files of 512 KiB, half random (incompressible), half text. */
async function* layerTar(index: number, mib: number): AsyncGenerator<Buffer> {
  yield tarHeader({ name: `data${index}/`, type: 'directory', mode: 0o755 });
  const files = Math.floor((mib * 1024) / fileKiB);
  const text = Buffer.alloc((fileKiB * 1024) / 2, `layer ${index} text line for compression\n`);
  for (let f = 0; f < files; f++) {
    const body = Buffer.concat([randomBytes((fileKiB * 1024) / 2), text]);
    yield tarHeader({ name: `data${index}/file-${f}.bin`, type: 'file', mode: 0o644, size: body.length });
    yield body;
    yield padding(body.length);
  }
  yield TAR_END;
}

function timed(cmd: string, args: string[], env?: NodeJS.ProcessEnv): { ms: number; maxRssKiB: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'MAXRSS %M', cmd, ...args], { encoding: 'utf8', env: env ?? process.env, maxBuffer: 1 << 26 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  const m = /MAXRSS (\d+)/.exec(r.stderr);
  return { ms, maxRssKiB: Number(m?.[1] ?? 0), stdout: r.stdout };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'berth-bench-pull-'));
  const reg = await startRegistry();
  try {
    const ref = `${reg.host}/bench/big:1`;
    process.stderr.write(`generating a ${totalMiB} MiB ${layers}-layer image...\n`);
    const src = openImageStore(join(work, 'src'));
    const built = [];
    for (let i = 0; i < layers; i++) built.push(await addLayer(src, layerTar(i, totalMiB / layers), `bench layer ${i}`));
    await writeImage(src, { layers: built, config: { Cmd: ['sh'] }, ref });
    await pushImage(src, ref, { registryConfig: isolatedRegistryConfig(work) });
    rmSync(join(work, 'src'), { recursive: true, force: true });

    const child = join(import.meta.dirname, 'pull-child.js');
    const results: Record<string, { ms: number[]; rss: number[] }> = { berth: { ms: [], rss: [] }, 'skopeo+umoci': { ms: [], rss: [] } };
    const havePeers = existsSync('/usr/bin/skopeo') && existsSync('/usr/bin/umoci');
    for (let r = 0; r < rounds; r++) {
      const dest = join(work, `berth-${r}`);
      const b = timed(process.execPath, [child, dest, ref]);
      const inner = JSON.parse(b.stdout.trim()) as { ms: number; maxRssKiB: number };
      results.berth!.ms.push(b.ms);
      results.berth!.rss.push(inner.maxRssKiB);
      rmSync(dest, { recursive: true, force: true });
      if (havePeers) {
        const oci = join(work, `oci-${r}`);
        const bundle = join(work, `bundle-${r}`);
        const c = timed('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://${ref}`, `oci:${oci}:big`]);
        const u = timed('umoci', ['unpack', '--image', `${oci}:big`, bundle]);
        results['skopeo+umoci']!.ms.push(c.ms + u.ms);
        results['skopeo+umoci']!.rss.push(Math.max(c.maxRssKiB, u.maxRssKiB));
        rmSync(oci, { recursive: true, force: true });
        rmSync(bundle, { recursive: true, force: true });
      }
    }
    const rows = Object.entries(results).filter(([, v]) => v.ms.length > 0);
    const base = median(results.berth!.ms);
    console.log(`\npull + unpack of a ${totalMiB} MiB, ${layers}-layer image from a loopback registry (${rounds} rounds, median)\n`);
    console.log(`${'tool'.padEnd(14)}${'median ms'.padStart(11)}${'vs berth'.padStart(10)}${'peak RSS MiB'.padStart(14)}`);
    for (const [name, v] of rows) {
      const ms = median(v.ms);
      console.log(`${name.padEnd(14)}${ms.toFixed(0).padStart(11)}${`${(ms / base).toFixed(2)}x`.padStart(10)}${(Math.max(...v.rss) / 1024).toFixed(1).padStart(14)}`);
    }
    if (!havePeers) console.log('(skopeo/umoci not installed: peer row skipped)');
  } finally {
    await reg.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

mkdirSync(tmpdir(), { recursive: true });
await main();
