import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { compileRules } from '../../src/watch/rules.js';
import { planBatch } from '../../src/watch/plan.js';
import { tmpProject, COMPOSE } from './fixture.js';

const t = tmpProject(COMPOSE, { 'src/a.js': 'a' });
test.after(() => t.cleanup());

test('compile: rules, watched paths, unwatched services', () => {
  const c = compileRules(t.project, []);
  assert.is(c.rules.length, 4);
  assert.equal(c.unwatched, ['db']);
  assert.equal(
    c.paths,
    ['config', 'hooks', 'package.json', 'src'].map((p) => join(t.dir, p)),
  );
});

test('plan: sync batches per service, ignores, restart once, exec once, compose order', () => {
  const c = compileRules(t.project, ['web']);
  const d = t.dir;
  const plan = planBatch(c.rules, [
    `${d}/src/b.js`,
    `${d}/src/a.js`,
    `${d}/src/a.js`,
    `${d}/src/node_modules/x.js`,
    `${d}/src/x.tmp`,
    `${d}/src/.a.js.swp`,
    `${d}/src/.git/HEAD`,
    `${d}/config/app.ini`,
    `${d}/package.json`,
    `${d}/hooks/h1`,
    `${d}/hooks/h2`,
    `${d}/elsewhere.txt`,
  ]);
  assert.is(
    plan.toString().replaceAll(d, '.'),
    [
      'sync web:',
      '  ./config/app.ini -> /etc/app/app.ini',
      '  ./hooks/h1 -> /hooks/h1',
      '  ./hooks/h2 -> /hooks/h2',
      '  ./src/a.js -> /app/src/a.js',
      '  ./src/b.js -> /app/src/b.js',
      'restart web',
      'exec web: ["sh","-c","echo reloaded"]',
    ].join('\n'),
  );
});

test('plan: nothing matches -> empty plan; the rule root maps to the target', () => {
  const c = compileRules(t.project, ['web']);
  assert.is(planBatch(c.rules, [`${t.dir}/README.md`]).steps.length, 0);
  assert.is(planBatch(c.rules, [`${t.dir}/src`]).toString(), `sync web:\n  ${t.dir}/src -> /app/src`);
});

test('compile: errors compose gives before watching', () => {
  const bad = tmpProject('services:\n  a:\n    image: x\n    develop:\n      watch:\n        - path: ./src\n          action: rebuild\n');
  try {
    assert.throws(() => compileRules(bad.project, []), /service a: can't watch .*src with action rebuild without a build context/);
    assert.throws(() => compileRules(bad.project, ['nope']), /no such service: nope/);
  } finally {
    bad.cleanup();
  }
  const noCmd = tmpProject(
    'services:\n  a:\n    image: x\n    develop:\n      watch:\n        - path: ./src\n          target: /x\n          action: sync+exec\n          exec:\n            command: []\n',
  );
  try {
    assert.throws(() => compileRules(noCmd.project, []), /sync\+exec without exec.command/);
  } finally {
    noCmd.cleanup();
  }
});

test('compile: a sync path under a bind mount is not watched (warning)', () => {
  const b = tmpProject('services:\n  a:\n    image: x\n    volumes: ["./src:/app"]\n    develop:\n      watch:\n        - path: ./src\n          target: /app\n          action: sync\n');
  try {
    const c = compileRules(b.project, []);
    assert.is(c.rules.length, 0);
    assert.match(c.warnings[0]!, /also declared by a bind mount volume/);
  } finally {
    b.cleanup();
  }
});

test.run();
