// startOrRerunContainer: Docker's `start` on a single container. A created container passes
// its start gate; an exited one runs again on its writable layer (same id, rw layer, user
// namespace block: deleteContainer keepLayer + createContainer reuseLayer, as a restart);
// a running or paused one is left alone.
import { createContainer, startContainer } from './create.js';
import { deleteContainer } from './delete.js';
import { containerStateSync, requireStored } from './state.js';
import type { RuntimeContext } from './types.js';
import { noSuchContainer } from './errors.js';

export async function startOrRerunContainer(rt: RuntimeContext, id: string): Promise<void> {
  const state = containerStateSync(rt, id);
  if (!state) throw noSuchContainer(id);
  if (state.status === 'running' || state.status === 'paused') return;
  if (state.status === 'created') return startContainer(rt, id);
  const { config } = requireStored(rt, id);
  await deleteContainer(rt, id, { keepLayer: true });
  await createContainer(rt, config, { reuseLayer: true, start: true });
}
