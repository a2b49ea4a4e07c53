import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { compileRules, planBatch, watchProject } from '../../src/watch/index.js';
import type { Engine } from '../../src/api/index.js';
import { tmpProject } from './fixture.js';
import { fakeTarget, fakeWatcher } from './fakes.js';
import { poll } from '../helpers/poll.js';

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

test('--verbose names the paths of each batch before applying it; .git is dropped before batching', async () => {
  const t = tmpProject(COMPOSE, { 'src/a.js': 'a', Dockerfile: 'FROM busybox:1.36\n' });
  try {
    for (const verbose of [true, false]) {
      const target = fakeTarget({ app: [1] });
      const fw = fakeWatcher();
      const said: string[] = [];
      const ac = new AbortController();
      let ready = false;
      const done = watchProject({
        engine: {} as Engine,
        source: t.source,
        noUp: true,
        restartOnChange: true,
        verbose,
        signal: ac.signal,
        target,
        watcher: fw.factory,
        quietPeriodMs: 5,
        onMessage: (m) => said.push(m.text),
        onReady: () => (ready = true),
      });
      await poll('ready', () => ready);
      const [a, swp, git] = ['src/a.js', 'src/.a.js.swp', 'src/.git/index'].map((p) => join(t.dir, p)) as [string, string, string];
      // chokidar asks before it watches or reports a path (it drops editor temp files itself)
      assert.ok(fw.handlers().ignored(join(t.dir, 'src/.git')) && fw.handlers().ignored(git), '.git is never watched');
      assert.not.ok(fw.handlers().ignored(a));
      fw.handlers().onChange(git);
      fw.handlers().onChange(swp);
      fw.handlers().onChange(a);
      await poll('the restart', () => said.includes('service(s) ["app"] restarted'));
      ac.abort();
      await done;
      assert.equal(target.calls, ['restart app']);
      const notes = said.filter((x) => x.startsWith('Changes detected: '));
      assert.equal(notes, verbose ? [`Changes detected: ${[swp, git, a].sort().join(', ')}`] : [], 'sorted; said with --verbose only');
      if (verbose) assert.ok(said.indexOf(notes[0]!) < said.indexOf('service(s) ["app"] restarted'), 'before the batch is applied');
    }
  } finally {
    t.cleanup();
  }
});

test.run();
