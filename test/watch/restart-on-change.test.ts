import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { compileRules, planBatch } from '../../src/watch/index.js';
import { tmpProject } from './fixture.js';

const COMPOSE = `
name: roc
services:
  app:
    build: .
    volumes:
      - ./src:/app/src
      - ./config.json:/app/config.json
      - /proc:/host/proc
      - data:/data
  db:
    image: busybox:1.36
volumes:
  data: {}
`;

test('--restart-on-change: a restart rule per bind-mounted host directory; .git, temp files and .dockerignore ignored', () => {
  const t = tmpProject(COMPOSE, { 'src/a.js': 'a', 'config.json': '{}', Dockerfile: 'FROM busybox:1.36\n', '.dockerignore': 'src/generated\n' });
  try {
    assert.is(compileRules(t.project, []).rules.length, 0, 'without the flag: no rules');
    const compiled = compileRules(t.project, [], { restartOnChange: true });
    assert.equal(compiled.paths, [join(t.dir, 'src')], 'directories only: not a file, not /proc, not a volume');
    assert.equal(compiled.unwatched, ['db']);
    const plan = (paths: string[]): string =>
      planBatch(
        compiled.rules,
        paths.map((p) => join(t.dir, p)),
      ).toString();
    assert.match(plan(['src/a.js', 'src/b.js']), /restart app/);
    assert.not.match(plan(['src/.git/index', 'src/.a.js.swp', 'src/a.js~', 'src/generated/x.js']), /restart/);
  } finally {
    t.cleanup();
  }
});

test.run();
