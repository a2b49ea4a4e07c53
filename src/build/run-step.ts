// RUN: a container of berth's own runtime on the current layers (in its own netns on the
// build network, as BuildKit's default; the host's or none when asked), its output streamed
// as events; when it exits 0 its rw layer becomes the step's layer (the image store's
// addLayer over the upper dir, the init layer's files left out). The container is always deleted, whatever happens.
import { BerthError } from '../errors.js';
import { upperDirTar, addLayer, type BuiltLayer, LayerOps } from '../image/index.js';
import type { ImageStore } from '../image/index.js';
import type { RunNetwork } from './instructions.js';
import type { BuildNetwork } from './run-network.js';
import { commitSource, createContainer, deleteContainer, readLogs, resolveUser, waitContainer, type RuntimeContext } from '../runtime/index.js';
const { randomBytes } = process.getBuiltinModule('node:crypto');

export interface RunPlan {
  /** Layer dirs, top first. */
  readonly layerDirs: readonly string[];
  readonly args: readonly string[];
  readonly env: readonly string[];
  readonly cwd: string;
  readonly user: string | undefined;
  /** `default` (own netns on `buildNetwork`), `host` (the host's; the caller checked the entitlement), `none` (loopback only). */
  readonly network: RunNetwork;
  /** The build network, for `default`. */
  readonly buildNetwork?: BuildNetwork;
  readonly what: string;
  readonly signal?: AbortSignal;
  readonly onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
}

const TAIL = 10;

export async function runLayer(rt: RuntimeContext, store: ImageStore, plan: RunPlan): Promise<BuiltLayer> {
  if (plan.layerDirs.length === 0) throw new BerthError('build/run-failed', `${plan.what}: the image is empty (FROM scratch): there is nothing to run`);
  const id = `berth-build-${randomBytes(6).toString('hex')}`;
  const user = resolveUser(plan.layerDirs, plan.user);
  const tail: string[] = [];
  const net = plan.network === 'default' ? plan.buildNetwork : undefined;
  if (plan.network === 'default' && !net) throw new BerthError('build/run-failed', `${plan.what}: no build network was given for RUN`);
  try {
    await createContainer(
      rt,
      {
        id,
        rootfs: { lowerDirs: plan.layerDirs },
        process: { args: plan.args, env: plan.env, cwd: plan.cwd, user },
        namespaces: { net: plan.network === 'host' ? 'host' : 'new' },
        ...(net ? { initFiles: { resolvConf: net.resolvConf() } } : {}),
        noNewPrivileges: false,
        labels: { 'berth.build': 'true' },
      },
      {
        start: true,
        ...(plan.signal ? { signal: plan.signal } : {}),
        ...(net ? { onCreated: ({ netnsPath }: { netnsPath: string }) => net.attach(id, netnsPath) } : {}),
      },
    );
    const follow = (async () => {
      for await (const line of readLogs(rt, id, { follow: true, ...(plan.signal ? { signal: plan.signal } : {}) })) {
        tail.push(line.text);
        if (tail.length > TAIL) tail.shift();
        plan.onOutput?.(line.stream, line.text);
      }
    })();
    const exit = await waitContainer(rt, id, plan.signal ? { signal: plan.signal } : {});
    await follow.catch(() => undefined);
    if (exit.exitCode !== 0) {
      const why = exit.signal ? `was killed by ${exit.signal}` : exit.oomKilled ? 'ran out of memory' : `exited with code ${exit.exitCode}`;
      throw new BerthError('build/run-failed', `${plan.what}: the command ${why}${tail.length ? `; last output:\n${tail.map((l) => `  ${l}`).join('\n')}` : ''}`, {
        details: { exitCode: exit.exitCode, output: tail },
      });
    }
    const src = commitSource(rt, id);
    const ops = new LayerOps();
    try {
      return await addLayer(store, upperDirTar(src.upperDir, src.initFiles, ops), plan.what);
    } finally {
      ops.close();
    }
  } finally {
    await deleteContainer(rt, id, { force: true }).catch(() => undefined);
    await net?.detach(id).catch(() => undefined);
  }
}
