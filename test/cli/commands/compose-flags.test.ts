// docker compose v2's flags berth took over (issue 16): each becomes a field of the engine's
// option types (the CLI only parses), with compose's defaults and usage errors. A fake backend
// records what each verb was asked; no kernel.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capture } from '../../helpers/capture.js';
import { globalOptions, main } from '../../../src/cli/main.js';
import { wantsDashboard } from '../../../src/cli/dashboard-session.js';
import type { CommandContext } from '../../../src/cli/command.js';
import type { Backend } from '../../../src/api/index.js';

type Calls = Record<string, Record<string, unknown>>;

function fakeBackend(calls: Calls): Backend {
  const record = (verb: string, result?: unknown) => async (o: Record<string, unknown>) => {
    calls[verb] = o;
    return result;
  };
  return {
    engine: async () =>
      ({
        up: record('up', { exitCode: 0 }),
        run: record('run', 0),
        ps: record('ps', []),
        start: record('start'),
        stop: record('stop'),
        planVerb: record('planVerb', 'stop p-web-1'),
        restart: record('restart'),
        create: record('create'),
        down: record('down'),
        attach: record('attach', 3),
        export: record('export'),
        ls: record('ls', []),
        stats: record('stats', []),
        volumes: record('volumes', [{ name: 'p_data', driver: 'local', scope: 'local', mountpoint: '/v/p_data/_data', labels: { a: 'b' }, createdAt: 'T' }]),
      }) as never,
    images: async () =>
      ({ list: async (ref: string) => (ref === 'busybox:1.36' ? [{ repository: 'busybox', tag: '1.36', digest: 'sha256:feed', id: 'i', created: undefined, size: 1 }] : []) }) as never,
    containers: async () => ({}) as never,
    networks: async () => ({}) as never,
    watch: async () => undefined,
    deployer: async () => ({}) as never,
  };
}

async function run(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string; calls: Calls }> {
  const saved = { ...process.env };
  Object.assign(process.env, { BERTH_PROGRESS: 'quiet' }, env);
  const out = capture();
  const err = capture();
  const calls: Calls = {};
  try {
    const code = await main(argv, { stdout: out.stream, stderr: err.stream }, () => fakeBackend(calls));
    return { code, out: out.text(), err: err.text(), calls };
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

const root = process.getuid?.() === 0;

if (!root) {
  test('these tests parse as root (berth refuses other users first)', () => {
    console.log('skip: compose-flags needs uid 0 (main() checks root before a command runs)');
  });
} else {
  test('up: the new flags become UpOptions', async () => {
    const r = await run(['up', '--abort-on-container-failure', '--attach-dependencies', '--always-recreate-deps', '--quiet-pull', '-y', 'web']);
    assert.is(r.code, 0, r.err);
    const o = r.calls.up!;
    assert.is(o.abortOnContainerFailure, true);
    assert.is(o.abortOnContainerExit, false);
    assert.is(o.attachDependencies, true);
    assert.is(o.alwaysRecreateDeps, true);
    assert.is(o.quietPull, true);
    const code = await run(['up', '--exit-code-from', 'web']);
    assert.is(code.calls.up!.abortOnContainerExit, true, '--exit-code-from implies --abort-on-container-exit');
  });

  test("up: compose's incompatible combinations, compose's words (exit 2)", async () => {
    const cases: [string[], RegExp][] = [
      [['--abort-on-container-failure', '--abort-on-container-exit'], /--abort-on-container-failure cannot be combined with --abort-on-container-exit/],
      [['-d', '--abort-on-container-failure'], /--detach cannot be combined with --abort-on-container-exit, --abort-on-container-failure, --attach or --attach-dependencies/],
      [['--wait', '--attach-dependencies'], /--wait cannot be combined with --abort-on-container-exit, --attach or --attach-dependencies/],
      [['--always-recreate-deps', '--no-recreate'], /--always-recreate-deps and --no-recreate are incompatible/],
      [['-V', '--no-recreate'], /--no-recreate and --renew-anon-volumes are incompatible/],
      [['--attach', 'web', '--attach-dependencies'], /cannot combine --attach and --attach-dependencies/],
    ];
    for (const [argv, re] of cases) {
      const r = await run(['up', ...argv]);
      assert.is(r.code, 2, argv.join(' '));
      assert.match(r.err, re);
      assert.is(r.calls.up, undefined);
    }
  });

  test('COMPOSE_REMOVE_ORPHANS applies when --remove-orphans is not given; the flag wins', async () => {
    assert.is((await run(['up'], { COMPOSE_REMOVE_ORPHANS: 'true' })).calls.up!.removeOrphans, true);
    assert.is((await run(['up', '--remove-orphans=false'], { COMPOSE_REMOVE_ORPHANS: '1' })).calls.up!.removeOrphans, false);
    assert.is((await run(['down'], { COMPOSE_REMOVE_ORPHANS: 'yes' })).calls.down!.removeOrphans, false, 'ParseBool: yes is not true');
    assert.is((await run(['create'], { COMPOSE_REMOVE_ORPHANS: 'TRUE' })).calls.create!.removeOrphans, true);
  });

  test('run: --cap-add --cap-drop -l --use-aliases --pull --build -q --remove-orphans --env-from-file', async () => {
    const r = await run([
      'run',
      '--cap-add',
      'NET_ADMIN',
      '--cap-drop',
      'CHOWN',
      '-l',
      'a=1',
      '-l',
      'b=x=y',
      '--use-aliases',
      '--pull',
      'never',
      '--build',
      '-q',
      '--quiet-pull',
      '--remove-orphans',
      '--env-from-file',
      'x.env',
      'web',
      'true',
    ]);
    assert.is(r.code, 0, r.err);
    const o = r.calls.run!;
    assert.equal(o.capAdd, ['NET_ADMIN']);
    assert.equal(o.capDrop, ['CHOWN']);
    assert.equal(o.labels, { a: '1', b: 'x=y' });
    assert.is(o.useAliases, true);
    assert.is(o.pull, 'never');
    assert.is(o.build, true);
    assert.is(o.quietPull, true);
    assert.is(o.removeOrphans, true);
    assert.equal(o.envFiles, [`${process.cwd()}/x.env`]);
    assert.equal(o.command, ['true']);
    const bad = await run(['run', '-l', 'novalue', 'web']);
    assert.is(bad.code, 2);
    assert.match(bad.err, /label must be set as KEY=VALUE/);
    const pull = await run(['run', '--pull', 'sometimes', 'web']);
    assert.match(pull.err, /invalid --pull "sometimes"/);
  });

  test('ps: --filter status=X, --orphans=false, --no-trunc; other filters refused as compose does', async () => {
    const r = await run(['ps', '--filter', 'status=running', '--orphans=false', '--no-trunc']);
    assert.is(r.code, 0, r.err);
    assert.equal(r.calls.ps!.status, ['running']);
    assert.is(r.calls.ps!.all, true);
    assert.is(r.calls.ps!.orphans, false);
    assert.is((await run(['ps'])).calls.ps!.orphans, true, '--orphans defaults to true');
    for (const [f, re] of [
      ['status', /arguments to --filter should be in form KEY=VAL/],
      ['name=x', /unknown filter name/],
      ['source=x', /not implemented/],
    ] as const) {
      const bad = await run(['ps', '--filter', f]);
      assert.is(bad.code, 2, f);
      assert.match(bad.err, re);
    }
  });

  test('start --wait --wait-timeout, restart --no-deps', async () => {
    const s = await run(['start', '--wait', '--wait-timeout', '7', 'db']);
    assert.is(s.code, 0, s.err);
    assert.is(s.calls.start!.wait, true);
    assert.is(s.calls.start!.waitTimeoutMs, 7000);
    assert.equal(s.calls.start!.services, ['db']);
    const neg = await run(['start', '--wait-timeout', '-1']);
    assert.match(neg.err, /--wait-timeout must be a non-negative integer/);
    const r = await run(['restart', '--no-deps', 'db']);
    assert.is(r.calls.restart!.noDeps, true);
  });

  test('--parallel / COMPOSE_PARALLEL_LIMIT reach the engine in the project source', async () => {
    assert.is(((await run(['up'], { COMPOSE_PARALLEL_LIMIT: '2' })).calls.up!.source as { parallel?: number }).parallel, 2);
    assert.is(((await run(['--parallel', '3', 'up'], { COMPOSE_PARALLEL_LIMIT: '2' })).calls.up!.source as { parallel?: number }).parallel, 3);
    assert.is(((await run(['up'])).calls.up!.source as { parallel?: number }).parallel, undefined, '-1: no limit');
    const bad = await run(['up'], { COMPOSE_PARALLEL_LIMIT: 'x' });
    assert.is(bad.code, 2);
  });

  test('--dry-run on start/stop/restart/kill/pause/unpause/rm asks for the plan instead of running the verb', async () => {
    const r = await run(['--dry-run', 'stop', 'web']);
    assert.is(r.code, 0, r.err);
    assert.is(r.out, 'stop p-web-1\n');
    assert.is(r.calls.stop, undefined);
    assert.equal([r.calls.planVerb!.verb, r.calls.planVerb!.services], ['stop', ['web']]);
    const k = await run(['kill', '-s', 'TERM', '--dry-run']);
    assert.equal([k.calls.planVerb!.verb, k.calls.planVerb!.killSignal], ['kill', 'TERM']);
    assert.is((await run(['rm', '-s', '--dry-run'])).calls.planVerb!.stop, true);
    const no = await run(['--dry-run', 'logs']);
    assert.is(no.code, 2);
    assert.match(no.err, /--dry-run is not supported/);
  });

  test('ls --filter name=…; stats -a --no-trunc', async () => {
    const r = await run(['ls', '--filter', 'name=shop', '--filter', 'NAME=^b']);
    assert.is(r.code, 0, r.err);
    assert.equal(r.calls.ls!.names, ['shop', '^b']);
    for (const [f, re] of [
      ['status=running', /invalid filter 'status'/],
      ['name', /bad format of filter \(expected name=value\)/],
    ] as const) {
      const bad = await run(['ls', '--filter', f]);
      assert.is(bad.code, 2, f);
      assert.match(bad.err, re);
    }
    const st = await run(['stats', '-a', '--no-trunc', '--no-stream']);
    assert.is(st.code, 0, st.err);
    assert.is(st.calls.stats!.all, true);
  });

  test('attach, export and volumes parse into their options', async () => {
    const a = await run(['attach', '--index', '2', '--sig-proxy=false', 'web']);
    assert.is(a.code, 3, 'attach returns the container exit code');
    assert.is(a.calls.attach!.service, 'web');
    assert.is(a.calls.attach!.index, 2);
    assert.is(a.calls.attach!.sigProxy, false);
    assert.is((await run(['attach', 'web'])).calls.attach!.sigProxy, true, '--sig-proxy defaults to true');
    const e = await run(['export', '-o', 'out.tar', 'web']);
    assert.is(e.calls.export!.file, `${process.cwd()}/out.tar`);
    const v = await run(['volumes', '--format', 'table {{.Name}}\\t{{.Labels}}']);
    assert.is(v.out, 'VOLUME NAME   LABELS\np_data        a=b\n');
    const q = await run(['volumes', '-q']);
    assert.is(q.out, 'p_data\n');
    const bad = await run(['volumes', '--format', '{{.Nope}}']);
    assert.is(bad.code, 2);
  });
}

test('config --resolve-image-digests pins each image by the digest the image store has; an unknown one is an error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-pin-'));
  const home = process.cwd();
  try {
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: busybox:1.36\n');
    process.chdir(dir);
    const r = await run(['-p', 'pin', 'config', '--resolve-image-digests', '--format', 'json']);
    assert.is(r.code, 0, r.err);
    assert.is((JSON.parse(r.out) as { services: { web: { image: string } } }).services.web.image, 'busybox:1.36@sha256:feed');
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: alpine:3\n');
    const missing = await run(['-p', 'pin', 'config', '--resolve-image-digests']);
    assert.is(missing.code, 1);
    assert.match(missing.err, /image alpine:3: no digest known/);
  } finally {
    process.chdir(home);
    rmSync(dir, { recursive: true, force: true });
  }
});

test("COMPOSE_ENV_FILES, COMPOSE_PROGRESS, COMPOSE_ANSI, COMPOSE_PARALLEL_LIMIT are the global flags' defaults; a flag wins", () => {
  const env = { COMPOSE_ENV_FILES: 'a.env,b.env', COMPOSE_PROGRESS: 'json', COMPOSE_ANSI: 'never', COMPOSE_PARALLEL_LIMIT: '2' };
  const g = globalOptions({}, env);
  assert.equal(g.envFiles, ['a.env', 'b.env']);
  assert.is(g.progress, 'json');
  assert.is(g.ansi, 'never');
  assert.is(g.parallel, 2);
  const f = globalOptions({ 'env-file': ['c.env'], progress: 'plain', ansi: 'always', parallel: 5 }, env);
  assert.equal([f.envFiles, f.progress, f.ansi, f.parallel], [['c.env'], 'plain', 'always', 5]);
  const none = globalOptions({}, {});
  assert.equal([none.envFiles, none.progress, none.ansi, none.parallel], [[], undefined, 'auto', -1]);
  assert.throws(() => globalOptions({}, { COMPOSE_PARALLEL_LIMIT: 'many' }), /COMPOSE_PARALLEL_LIMIT must be an integer \(found: "many"\)/);
  assert.throws(() => globalOptions({ ansi: 'sometimes' }, {}), /invalid --ansi "sometimes": expected never, always or auto/);
});

test('COMPOSE_MENU=false (or up --menu=false) turns the dashboard off; on a terminal it is on by default', () => {
  const ctx = (env: Record<string, string>, flags: Record<string, boolean> = {}): CommandContext =>
    ({ global: { progress: undefined }, flags, env, stdin: { isTTY: true }, stdout: { isTTY: true } }) as unknown as CommandContext;
  assert.is(wantsDashboard(ctx({})), true);
  assert.is(wantsDashboard(ctx({ COMPOSE_MENU: 'false' })), false);
  assert.is(wantsDashboard(ctx({ COMPOSE_MENU: '0' })), false);
  assert.is(wantsDashboard(ctx({ COMPOSE_MENU: 'true' })), true);
  assert.is(wantsDashboard(ctx({}, { menu: false })), false);
  assert.is(wantsDashboard(ctx({ COMPOSE_MENU: 'false' }, { menu: true })), true, 'the flag wins');
});

test.run();
