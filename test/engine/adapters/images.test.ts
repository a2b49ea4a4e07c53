// The image port's removeDangling (watch --prune) on a real store: a name or a hold keeps the image.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { imagePort } from '../../../src/engine/adapters/images.js';
import { openImageStore } from '../../../src/image/store.js';
import { holdImage, releaseImage } from '../../../src/image/hold.js';
import { listImages } from '../../../src/image/list.js';
import { removeImage } from '../../../src/image/remove.js';
import { tagImage } from '../../../src/image/tag.js';
import { buildMultiLayer } from '../../image/fixtures.js';
import { makeTestRoots, skipUnlessKernel } from '../../helpers/kernel.js';

const skip = skipUnlessKernel('image port removeDangling (real image store)');
const roots = makeTestRoots('images-port');
test.after(() => roots.cleanup());

if (!skip) {
  test('removeDangling: kept while named or held, deleted once dangling; a missing id is false', async () => {
    const s = openImageStore(join(roots.root, 'images'));
    const port = imagePort(roots.root, {});
    const img = await buildMultiLayer(s, 'fx/web:1');
    await tagImage(s, 'fx/web:1', 'fx/other:1');
    assert.is(await port.removeDangling!(img.id), false, 'named: kept');
    assert.equal(
      (await listImages(s)).map((i) => i.repoTags.length),
      [2],
      'and its names left alone',
    );
    await holdImage(s, img.id, 'ctr1');
    // a rebuild moves the names to the new image; the old one keeps only the container's hold
    await port.remove('fx/web:1');
    await removeImage(s, 'fx/other:1', { force: true });
    assert.is(await port.removeDangling!(img.id), false, 'held by a container: kept');
    assert.equal((await listImages(s)).length, 1);
    await releaseImage(s, img.id, 'ctr1');
    assert.is(await port.removeDangling!(img.id), true);
    assert.equal(await listImages(s), []);
    assert.not.ok(existsSync(img.layerDirs[0]!), 'its layers went too');
    assert.is(await port.removeDangling!(img.id), false, 'gone already');
  });
}

test.run();
