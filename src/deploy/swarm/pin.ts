/**
 * Pinning service images by digest (`deploy --push`): once berth pushed a service's image,
 * its local record's manifest digest is the digest the registry holds (the same bytes were
 * pushed), so the service runs `name@sha256:...` and every node runs the same image, as
 * `docker stack deploy --resolve-image` does by asking the registry. An image berth does not
 * hold stays as written.
 */
import type { Project } from '../../spec/index.js';
import { berthRoot } from '../../util/berth-dirs.js';
import { loadImageLocal } from '../../load.js';
const { join } = process.getBuiltinModule('node:path');

export async function pinnedImages(project: Project, env: Readonly<Record<string, string | undefined>>): Promise<Map<string, string>> {
  const { list, store } = await loadImageLocal();
  const s = store.openImageStore(join(berthRoot(env), 'images'));
  const pinned = new Map<string, string>();
  for (const image of new Set(Object.values(project.services).flatMap((svc) => (svc.image ? [svc.image] : [])))) {
    if (image.includes('@')) continue; // pinned by the user
    const found = await list.findLocalImage(s, image);
    if (found?.record.manifest) pinned.set(image, `${image}@${found.record.manifest}`);
  }
  return pinned;
}
