import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { desiredState } from '../../src/engine/desired.js';
import { planUp, planDown } from '../../src/engine/plan.js';
import { configHash } from '../../src/engine/config-hash.js';
import { svc, project, dep, observed, running } from './fixture.js';

const threeTier = project('app', [
  svc('db', { healthcheck: { test: ['CMD', 'true'] } }),
  svc('api', { depends_on: { db: dep('service_healthy') } }),
  svc('front', { depends_on: { api: dep('service_started') }, ports: [{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }] }),
]);

test('fresh up: the network phases are operations; each service waits only for its own dependencies', () => {
  const plan = planUp(desiredState(threeTier), observed());
  assert.is(
    plan.toString(),
    [
      'create network app_default',
      'bridge network app_default <- create network app_default',
      // a container is created once the network's record exists, attached once its bridge is up
      'create app-api-1 (new) <- create network app_default',
      'attach app-api-1 <- bridge network app_default, create app-api-1 (new)',
      'create app-db-1 (new) <- create network app_default',
      'attach app-db-1 <- bridge network app_default, create app-db-1 (new)',
      'create app-front-1 (new) <- create network app_default',
      'attach app-front-1 <- bridge network app_default, create app-front-1 (new)',
      // and started once its firewall rules are in place
      'firewall network app_default <- bridge network app_default',
      'start app-db-1 <- attach app-db-1, firewall network app_default',
      'wait db started <- start app-db-1',
      'wait db healthy <- wait db started',
      'start app-api-1 <- attach app-api-1, firewall network app_default, wait db healthy',
      'wait api started <- start app-api-1',
      'start app-front-1 <- attach app-front-1, firewall network app_default, wait api started',
      'wait front started <- start app-front-1',
    ].join('\n'),
  );
  for (const op of plan.operations)
    assert.ok(
      op.deps.every((d) => plan.operations.some((o) => o.id === d)),
      `${op.id}: every edge names an operation of the plan`,
    );
});

test('up twice: only the changed service is recreated, the rest kept', () => {
  const d = desiredState(threeTier);
  const hashes = Object.fromEntries(d.services.map((s) => [s.name, s.hash]));
  const changed = project('app', [threeTier.services.db!, svc('api', { depends_on: { db: dep('service_healthy') }, environment: { MODE: 'new' } }), threeTier.services.front!]);
  const plan = planUp(
    desiredState(changed),
    observed([running('app-db-1', 'db', 1, hashes.db!), running('app-api-1', 'api', 1, hashes.api!), running('app-front-1', 'front', 1, hashes.front!)], ['app_default']),
  );
  const text = plan.toString();
  assert.match(text, /^remove app-api-1 \(recreate: config changed\)$/m);
  assert.match(text, /^create app-api-1 \(recreate: config changed\) <- remove app-api-1/m);
  assert.match(text, /^keep app-db-1 \(running\)$/m);
  assert.match(text, /^keep app-front-1 \(running\)$/m);
  assert.not.match(text, /create network/);
  assert.not.match(text, /remove app-db-1|remove app-front-1/);
});

test('--force-recreate, --no-recreate, stopped containers start again', () => {
  const d = desiredState(project('p', [svc('a')]));
  const obs = observed([running('p-a-1', 'a', 1, 'old-hash')], ['p_default']);
  assert.match(planUp(d, obs, { noRecreate: true }).toString(), /^keep p-a-1 \(running\)$/m);
  assert.match(planUp(d, obs, { forceRecreate: true }).toString(), /remove p-a-1 \(recreate: forced\)/);
  const same = observed([running('p-a-1', 'a', 1, d.services[0]!.hash, { status: 'exited' })], ['p_default']);
  assert.match(planUp(d, same).toString(), /^start p-a-1 \(exited\)$/m);
});

test('--force-recreate recreates the named services only; --always-recreate-deps their dependencies too (compose)', () => {
  const d = desiredState(project('p', [svc('db'), svc('web', { depends_on: { db: dep('service_started') } })]));
  const h = Object.fromEntries(d.services.map((s) => [s.name, s.hash]));
  const obs = observed([running('p-db-1', 'db', 1, h.db!), running('p-web-1', 'web', 1, h.web!)], ['p_default']);
  const named = planUp(d, obs, { forceRecreate: true, targets: new Set(['web']) }).toString();
  assert.match(named, /remove p-web-1 \(recreate: forced\)/);
  assert.match(named, /^keep p-db-1 \(running\)$/m);
  const deps = planUp(d, obs, { targets: new Set(['web']), recreateDeps: true }).toString();
  assert.match(deps, /remove p-db-1 \(recreate: forced\)/);
  assert.match(deps, /^keep p-web-1 \(running\)$/m);
  assert.match(planUp(d, obs, { forceRecreate: true }).toString(), /remove p-db-1 \(recreate: forced\)/, 'no service named: all are targets');
});

test('COMPOSE_IGNORE_ORPHANS: no orphan warning', () => {
  const d = desiredState(project('p', [svc('a')]));
  const obs = observed([running('p-a-1', 'a', 1, d.services[0]!.hash), running('p-old-1', 'old', 1, 'x')], ['p_default']);
  assert.equal(planUp(d, obs).warnings, ['found orphan container p-old-1 for service old; run with --remove-orphans to remove it']);
  assert.equal(planUp(d, obs, { ignoreOrphans: true }).warnings, []);
});

test('a container joined to a recreated service (network_mode/ipc/pid service:X, volumes_from) is recreated with it, down a chain', () => {
  const base = project('p', [svc('x'), svc('side', { network_mode: 'service:x' }), svc('tail', { network_mode: 'service:side' }), svc('free')]);
  const h = Object.fromEntries(desiredState(base).services.map((s) => [s.name, s.hash]));
  const changed = project('p', [svc('x', { environment: { V: '2' } }), base.services.side!, base.services.tail!, base.services.free!]);
  const obs = observed(
    ['x', 'side', 'tail', 'free'].map((n) => running(`p-${n}-1`, n, 1, h[n]!)),
    ['p_default'],
  );
  const text = planUp(desiredState(changed), obs).toString();
  assert.match(text, /^remove p-x-1 \(recreate: config changed\)$/m);
  assert.match(text, /^remove p-side-1 \(recreate: x has a new container\)$/m);
  assert.match(text, /^remove p-tail-1 \(recreate: side has a new container\)$/m);
  assert.match(text, /^keep p-free-1 \(running\)$/m);
  // a scale-up of x (a new x-2, x-1 kept) keeps the joiners
  assert.match(planUp(desiredState(base), obs, {}).toString(), /^keep p-side-1 \(running\)$/m);
  assert.match(planUp(desiredState(base, { scale: { x: 2 } }), obs).toString(), /^keep p-side-1 \(running\)$/m);
  // nothing changed: all kept; --no-recreate: the joiners are kept too
  assert.not.match(planUp(desiredState(base), obs).toString(), /recreate/);
  assert.match(planUp(desiredState(changed), obs, { noRecreate: true }).toString(), /^keep p-side-1 \(running\)$/m);
  const vf = project('p', [svc('data', { environment: { V: '2' } }), svc('reader', { volumes_from: ['data'] })]);
  const hv = Object.fromEntries(desiredState(project('p', [svc('data'), svc('reader', { volumes_from: ['data'] })])).services.map((s) => [s.name, s.hash]));
  assert.match(
    planUp(desiredState(vf), observed([running('p-data-1', 'data', 1, hv.data!), running('p-reader-1', 'reader', 1, hv.reader!)], ['p_default'])).toString(),
    /^remove p-reader-1 \(recreate: data has a new container\)$/m,
  );
});

test('image change recreates', () => {
  const d = desiredState(project('p', [svc('a')]));
  const obs = observed([running('p-a-1', 'a', 1, d.services[0]!.hash, { imageId: 'sha256:old' })], ['p_default'], { a: 'sha256:new' });
  assert.match(planUp(d, obs).toString(), /remove p-a-1 \(recreate: image changed\)/);
});

test('scale: names PROJECT-SERVICE-N, scale down removes the highest numbers', () => {
  const p = project('p', [svc('w')]);
  const up3 = planUp(desiredState(p, { scale: { w: 3 } }), observed());
  assert.match(up3.toString(), /create p-w-1[\s\S]*create p-w-2[\s\S]*create p-w-3/);
  const d1 = desiredState(p, { scale: { w: 1 } });
  const h = d1.services[0]!.hash;
  const down = planUp(
    d1,
    observed(
      [1, 2, 3].map((n) => running(`p-w-${n}`, 'w', n, h)),
      ['p_default'],
    ),
  );
  assert.match(down.toString(), /^remove p-w-2 \(scale down\)$/m);
  assert.match(down.toString(), /^remove p-w-3 \(scale down\)$/m);
  assert.match(down.toString(), /^keep p-w-1 \(running\)$/m);
});

test('container_name cannot be scaled', () => {
  assert.throws(() => desiredState(project('p', [svc('w', { container_name: 'x' })]), { scale: { w: 2 } }), /cannot scale/);
});

test('orphans warn, or are removed with --remove-orphans', () => {
  const d = desiredState(project('p', [svc('a')]));
  const obs = observed([running('p-a-1', 'a', 1, d.services[0]!.hash), running('p-old-1', 'old', 1, 'h')], ['p_default']);
  assert.match(planUp(d, obs).toString(), /^warning: found orphan container p-old-1/m);
  assert.match(planUp(d, obs, { removeOrphans: true }).toString(), /^remove p-old-1 \(orphan\)$/m);
  // `up a` (or --no-deps): another service of the file, or one behind a profile, is no orphan
  const two = project('p', [svc('a'), svc('b')], { disabledServices: { c: svc('c') } });
  const onlyA = desiredState(two, { services: ['a'] });
  const others = observed([running('p-a-1', 'a', 1, onlyA.services[0]!.hash), running('p-b-1', 'b', 1, 'h'), running('p-c-1', 'c', 1, 'h')], ['p_default']);
  assert.not.match(planUp(onlyA, others, { removeOrphans: true }).toString(), /p-[bc]-1/);
  assert.not.match(planUp(onlyA, others).toString(), /orphan/);
});

test('completed_successfully and optional dependencies', () => {
  const p = project('p', [svc('migrate'), svc('app', { depends_on: { migrate: dep('service_completed_successfully'), cache: dep('service_started', false) } }), svc('cache')]);
  const plan = planUp(desiredState(p), observed([], ['p_default']));
  assert.match(plan.toString(), /^start p-app-1 <- attach p-app-1, wait cache started, wait migrate completed$/m);
  assert.match(plan.toString(), /^wait migrate completed <- wait migrate started$/m);
});

test('--no-deps: a required dependency without a container is not waited for and is named in a warning', () => {
  const p = project('p', [svc('db', { healthcheck: { test: ['CMD', 'true'] } }), svc('cache'), svc('app', { depends_on: { db: dep('service_healthy'), cache: dep('service_started', false) } })]);
  const only = desiredState(p, { services: ['app'] });
  const text = planUp(only, observed([], ['p_default'])).toString();
  assert.match(text, /^warning: service app: required dependency db has no container and is not started \(--no-deps\)$/m);
  assert.not.match(text, /cache has no container/, 'an optional dependency stays quiet');
  assert.match(text, /^start p-app-1 <- attach p-app-1$/m, 'nothing waited for');
  assert.not.match(text, /wait db/);
  // the dependency has a container (even stopped): no warning, still no wait (compose: disabled service)
  const withDb = planUp(only, observed([running('p-db-1', 'db', 1, 'h', { status: 'exited' })], ['p_default'])).toString();
  assert.not.match(withDb, /warning/);
  assert.not.match(withDb, /wait db/);
});

test('--no-start creates only; --wait adds a wait per service', () => {
  const p = project('p', [svc('a', { healthcheck: { test: ['CMD', 'true'] } }), svc('b')]);
  assert.not.match(planUp(desiredState(p), observed(), { noStart: true }).toString(), /^start/m);
  const healthDep = project('p', [svc('db', { healthcheck: { test: ['CMD', 'true'] } }), svc('app', { depends_on: { db: dep('service_healthy') } })]);
  assert.not.match(planUp(desiredState(healthDep), observed(), { noStart: true }).toString(), /healthy/, 'create does not wait for health');
  const w = planUp(desiredState(p), observed(), { waitAll: true, healthchecked: new Set(['a']) }).toString();
  assert.match(w, /^wait a healthy <- wait a started$/m);
  assert.match(w, /^wait b running <- wait b started$/m);
});

test('down: dependents stop first; the bridge deletion is asked for once all are stopped, the removals follow (beside the kernel work), volumes after removal (-v)', () => {
  const cs = [running('app-db-1', 'db', 1, 'h'), running('app-api-1', 'api', 1, 'h', { dependsOn: ['db'] }), running('app-front-1', 'front', 1, 'h', { dependsOn: ['api'], status: 'exited' })];
  const plan = planDown(cs, { networks: ['app_default'], volumeNames: ['app_data'], volumes: true });
  assert.is(
    plan.toString(),
    [
      'keep app-front-1 (exited)',
      'stop app-api-1 <- keep app-front-1 (exited)',
      'stop app-db-1 <- stop app-api-1',
      'remove network app_default <- keep app-front-1 (exited), stop app-api-1, stop app-db-1',
      'network app_default removed <- remove network app_default',
      'remove app-api-1 <- remove network app_default, stop app-api-1',
      'remove app-db-1 <- remove network app_default, stop app-db-1',
      'remove app-front-1 <- keep app-front-1 (exited), remove network app_default',
      'remove volume app_data <- remove app-api-1, remove app-db-1, remove app-front-1',
    ].join('\n'),
  );
  assert.not.match(planDown(cs, { networks: ['app_default'], volumeNames: ['app_data'] }).toString(), /remove volume/);
});

test('volumes_from and network_mode service: create after the other service is up', () => {
  const p = project('p', [svc('data'), svc('reader', { volumes_from: ['data:ro'] }), svc('side', { network_mode: 'service:data' })]);
  const text = planUp(desiredState(p), observed([], ['p_default'])).toString();
  assert.match(text, /^create p-reader-1 \(new\) <- wait data started$/m);
  assert.match(text, /^create p-side-1 \(new\) <- wait data started$/m);
});

test('config hash of desired matches configHash(service)', () => {
  const p = project('p', [svc('a')]);
  assert.is(desiredState(p).services[0]!.hash, configHash(p.services.a));
});

test.run();
