import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { compileRules } from '../../src/watch/rules.js';
import { planBatch } from '../../src/watch/plan.js';
import { applyPlan, archiveOf, type WatchMessage } from '../../src/watch/apply.js';
import { makePlan } from '../../src/watch/plan.js';
import { tmpProject, COMPOSE } from './fixture.js';
import { fakeTarget } from './fakes.js';
import { engineTarget } from '../../src/watch/engine-target.js';
import type { Engine, UpOptions } from '../../src/api/index.js';

const t = tmpProject(COMPOSE, { 'src/a.js': 'A1', 'src/lib/b.js': 'B1', 'config/app.ini': 'x=1', 'hooks/h': '' });
test.after(() => t.cleanup());

test('archiveOf: files, dirs and symlinks go in the archive; vanished paths are deletions', () => {
  symlinkSync('a.js', join(t.dir, 'src', 'link.js'));
  const a = archiveOf([
    { hostPath: join(t.dir, 'src/a.js'), containerPath: '/app/src/a.js' },
    { hostPath: join(t.dir, 'src/lib'), containerPath: '/app/src/lib' },
    { hostPath: join(t.dir, 'src/link.js'), containerPath: '/app/src/link.js' },
    { hostPath: join(t.dir, 'src/gone.js'), containerPath: '/app/src/gone.js' },
    { hostPath: join(t.dir, 'src/a.js/not-a-dir'), containerPath: '/app/src/a.js/not-a-dir' },
  ]);
  assert.is(a.copied, 3);
  assert.equal(a.deletes, ['/app/src/a.js/not-a-dir', '/app/src/gone.js']);
  assert.ok(a.tar && a.tar.length > 0);
});

test('applyPlan: sync to every running replica, then restart, then exec hooks', async () => {
  const target = fakeTarget({ web: [1, 2] });
  const msgs: WatchMessage[] = [];
  const c = compileRules(t.project, ['web']);
  const d = t.dir;
  await applyPlan(target, planBatch(c.rules, [`${d}/src/a.js`, `${d}/src/deleted.js`, `${d}/config/app.ini`, `${d}/hooks/h`]), { onMessage: (m) => msgs.push(m) });
  assert.equal(target.calls, [
    'exec web#1 rm -rf -- /app/src/deleted.js',
    'exec web#1 tar x -C /',
    'exec web#2 rm -rf -- /app/src/deleted.js',
    'exec web#2 tar x -C /',
    'restart web',
    'exec web#1 sh -c echo reloaded',
    'exec web#2 sh -c echo reloaded',
  ]);
  assert.is(target.files.get('web#2:/app/src/a.js'), 'A1');
  assert.is(target.files.get('web#1:/etc/app/app.ini'), 'x=1');
  assert.equal(
    msgs.map((m) => m.text),
    ['Syncing service "web" after 4 changes were detected', 'service(s) ["web"] restarted', 'reloaded', 'reloaded'],
  );
});

test('applyPlan: a failing copy is a clear error naming the service', async () => {
  const target = fakeTarget();
  target.failExec = true;
  const c = compileRules(t.project, ['web']);
  mkdirSync(join(t.dir, 'src', 'new'), { recursive: true });
  writeFileSync(join(t.dir, 'src', 'new', 'f'), 'x');
  try {
    await applyPlan(target, planBatch(c.rules, [join(t.dir, 'src/new/f')]));
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, /service web: copying into the container failed: boom/);
  }
});

test('applyPlan: no running container is a warning, not an error', async () => {
  const target = fakeTarget({ web: [] });
  const msgs: WatchMessage[] = [];
  const c = compileRules(t.project, ['web']);
  await applyPlan(target, planBatch(c.rules, [join(t.dir, 'src/a.js')]), { onMessage: (m) => msgs.push(m) });
  assert.equal(target.calls, []);
  assert.is(msgs[1]!.text, 'service web has no running container; changes not synced');
});

test('applyPlan: rebuild builds and recreates the service first (compose wording), then the rest', async () => {
  const target = fakeTarget({ web: [1] });
  const msgs: WatchMessage[] = [];
  const plan = makePlan([
    { kind: 'rebuild', service: 'web', paths: [join(t.dir, 'src/a.js')] },
    { kind: 'restart', services: ['web'] },
  ]);
  await applyPlan(target, plan, { onMessage: (m) => msgs.push(m) });
  assert.equal(target.calls, ['rebuild web', 'restart web']);
  assert.equal(
    msgs.map((m) => m.text),
    ['Rebuilding service(s) ["web"] after changes were detected...', 'service(s) ["web"] successfully built and recreated', 'service(s) ["web"] restarted'],
  );
});

test('applyPlan: --prune is handed to the rebuild (and only to it); the engine binding asks up to prune', async () => {
  const target = fakeTarget({ web: [1] });
  const plan = makePlan([
    { kind: 'rebuild', service: 'web', paths: [] },
    { kind: 'restart', services: ['web'] },
  ]);
  await applyPlan(target, plan, { prune: true });
  await applyPlan(target, plan);
  assert.equal(target.calls, ['rebuild web (prune)', 'restart web', 'rebuild web', 'restart web']);
  const ups: UpOptions[] = [];
  const engine = { up: async (o: UpOptions) => (ups.push(o), { exitCode: 0 }) } as unknown as Engine;
  const bound = engineTarget(engine, t.source);
  await bound.rebuild(['web'], undefined, { prune: true });
  await bound.rebuild(['web']);
  assert.equal(
    ups.map((o) => [o.services, o.build, o.noDeps, o.forceRecreate, o.pruneReplaced]),
    [
      [['web'], true, true, true, true],
      [['web'], true, true, true, undefined],
    ],
  );
});

test('applyPlan: a failed rebuild is a clear error naming the service; nothing after it runs', async () => {
  const target = fakeTarget({ web: [1] });
  target.failRebuild = true;
  try {
    await applyPlan(
      target,
      makePlan([
        { kind: 'rebuild', service: 'web', paths: [] },
        { kind: 'restart', services: ['web'] },
      ]),
    );
    assert.unreachable();
  } catch (err) {
    assert.is((err as { code?: string }).code, 'watch/rebuild');
    assert.match((err as Error).message, /^service web: rebuild failed: build step 2 failed$/);
  }
  assert.equal(target.calls, ['rebuild web']);
});

test.run();
