// Child process for bench/pull: one berth pull into a fresh store, then prints
// {"ms":..., "maxRssKiB":...} so the parent can compare peak memory per process.
import { openImageStore } from '../src/image/store.js';
import { pullImage } from '../src/image/pull.js';

const [root, ref] = process.argv.slice(2) as [string, string];
const t0 = performance.now();
await pullImage(openImageStore(root), ref, {
  registryConfig: { mirrors: [], insecure: [], authFiles: [], loginFile: '/nonexistent' },
  concurrency: 4,
});
const ms = performance.now() - t0;
process.stdout.write(`${JSON.stringify({ ms, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
