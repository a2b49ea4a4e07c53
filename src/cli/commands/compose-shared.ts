/** Shared by the compose verbs (up, down, ps, ...): project source, engine, renderer. */
import type { CommandContext } from '../command.js';
import type { FlagSpec } from '../args.js';
import type { CommonOptions, Engine, EventSink, ProjectSource, PullOption, VerbPlanOptions } from '../../api/index.js';
import type { Renderer, ProgressKind } from '../../ui/index.js';
import { UsageError } from '../../errors.js';

export function sourceOf(ctx: CommandContext): ProjectSource {
  return {
    files: ctx.global.files,
    projectName: ctx.global.projectName,
    projectDirectory: ctx.global.projectDirectory,
    envFiles: ctx.global.envFiles,
    profiles: ctx.global.profiles,
    env: ctx.env,
    cwd: ctx.cwd,
    ...(ctx.global.parallel > 0 ? { parallel: ctx.global.parallel } : {}),
  };
}

/** Colours for a stream: never with NO_COLOR or `--no-color`; else as `--ansi` says (auto: on a terminal). */
export function colorFor(ctx: CommandContext, isTTY: boolean | undefined): boolean {
  if (ctx.env.NO_COLOR !== undefined || ctx.flags['no-color'] === true || ctx.global.ansi === 'never') return false;
  return ctx.global.ansi === 'always' || isTTY === true;
}

export function engineFor(ctx: CommandContext): Promise<Engine> {
  return ctx.backend.engine();
}

/**
 * The renderer `--progress` (global, every command) or BERTH_PROGRESS picks: every status
 * line a command shows goes through it. `quiet` (also a command's own `-q`) draws nothing
 * but log lines.
 */
export async function rendererFor(ctx: CommandContext, options: RendererChoice = {}): Promise<Renderer> {
  const raw = progressKind(ctx, options);
  const { chooseRenderer } = await import('../../ui/index.js');
  const noColor = ctx.env.NO_COLOR !== undefined || ctx.flags['no-color'] === true || ctx.global.ansi === 'never';
  const color = noColor ? { color: false } : ctx.global.ansi === 'always' ? { color: true } : {};
  return chooseRenderer(raw as ProgressKind, { stdout: ctx.stdout, stderr: ctx.stderr }, { ...options, ...color });
}

export function int(ctx: CommandContext, name: string): number | undefined {
  const v = ctx.flags[name];
  return typeof v === 'number' ? v : undefined;
}

export function str(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function list(ctx: CommandContext, name: string): string[] {
  const v = ctx.flags[name];
  return Array.isArray(v) ? v : [];
}

export function bool(ctx: CommandContext, name: string): boolean {
  return ctx.flags[name] === true;
}

/** `--scale web=3` (repeatable). */
export function scaleFlags(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) {
    const m = /^([^=]+)=(\d+)$/.exec(v);
    if (!m) throw new UsageError(`invalid --scale "${v}": expected SERVICE=NUM`);
    out[m[1]!] = Number(m[2]);
  }
  return out;
}

/** Docker-style durations for --since/--until: RFC 3339 or relative (`10m`, `1h30m`, `42s`). */
export function parseTime(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const rel = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
  if (rel && value !== '') return now - ((Number(rel[1] ?? 0) * 60 + Number(rel[2] ?? 0)) * 60 + Number(rel[3] ?? 0)) * 1000;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new UsageError(`invalid time "${value}": expected RFC 3339 or a duration like 10m`);
  return t;
}

/** Renders a table with docker's column spacing (3 spaces). */
export { table } from '../table.js';

/**
 * One engine verb over the services named on the command line, its events drawn by the
 * chosen progress renderer; exit code 0 when it succeeds (errors go to the CLI's printer).
 */
export async function runVerb(ctx: CommandContext, call: (engine: Engine, options: CommonOptions) => Promise<unknown>, dryRun?: DryRunOf): Promise<number> {
  const engine = await engineFor(ctx);
  if (ctx.global.dryRun && dryRun) {
    ctx.stdout.write(`${await engine.planVerb({ source: sourceOf(ctx), services: ctx.args, ...dryRun, signal: ctx.signal })}\n`);
    return 0;
  }
  await withRenderer(ctx, {}, (onEvent) => call(engine, { source: sourceOf(ctx), services: ctx.args, onEvent, signal: ctx.signal }));
  return 0;
}

/** What `--dry-run` asks the engine to describe instead of running the verb. */
export type DryRunOf = Omit<VerbPlanOptions, keyof CommonOptions>;

export interface RendererChoice {
  readonly color?: boolean;
  readonly timestamps?: boolean;
  readonly prefix?: boolean;
  /** The command's own -q: draw no progress. */
  readonly quiet?: boolean;
  /** `auto` draws plain lines even on a terminal (a container's own output shares it). */
  readonly plainOnTty?: boolean;
}

function progressKind(ctx: CommandContext, options: RendererChoice): ProgressKind {
  const raw = options.quiet === true ? 'quiet' : (ctx.global.progress ?? ctx.env.BERTH_PROGRESS ?? 'auto');
  if (!['auto', 'tty', 'plain', 'json', 'quiet'].includes(raw)) throw new UsageError(`invalid --progress "${raw}": expected auto, tty, plain, json or quiet`);
  return raw === 'auto' && options.plainOnTty === true ? 'plain' : (raw as ProgressKind);
}

/**
 * Runs `fn` with an event sink drawn by the renderer --progress picks. The renderer is made
 * at the first event (a command that reports nothing loads no renderer: start-up time) and
 * closed when `fn` ends.
 */
export async function withRenderer<T>(ctx: CommandContext, options: RendererChoice, fn: (onEvent: EventSink) => Promise<T>): Promise<T> {
  progressKind(ctx, options); // a bad --progress is a usage error before anything runs
  let renderer: Promise<Renderer> | undefined;
  const onEvent: EventSink = (e) => {
    renderer ??= rendererFor(ctx, options);
    renderer.then(
      (r) => r.event(e),
      () => undefined,
    );
  };
  try {
    return await fn(onEvent);
  } finally {
    if (renderer) await (await renderer).close();
  }
}

export const timeoutFlag: FlagSpec = { name: 'timeout', short: 't', type: 'int', value: 'SECONDS', help: 'Specify a shutdown timeout in seconds' };

/** `{ timeout }` when -t was given. */
export function timeoutOf(ctx: CommandContext): { timeout?: number } {
  const t = int(ctx, 'timeout');
  return t === undefined ? {} : { timeout: t };
}

/** The image flags up and create share: `--build`, `--no-build`, `--pull POLICY` (docker compose's rules). */
export const imageFlags: readonly FlagSpec[] = [
  { name: 'pull', type: 'string', value: 'POLICY', help: 'Pull image before running ("always"|"missing"|"never"|"build")' },
  { name: 'build', type: 'bool', help: 'Build images before starting containers' },
  { name: 'no-build', type: 'bool', help: "Don't build an image, even if it's policy" },
];

/** `{ pull, build, noBuild }` from imageFlags; a bad value or --build with --no-build is a usage error. */
export function imageOptions(ctx: CommandContext): { pull?: PullOption; build: boolean; noBuild: boolean } {
  const pull = str(ctx, 'pull');
  if (pull !== undefined && !['always', 'missing', 'never', 'build', 'policy'].includes(pull)) {
    throw new UsageError(`invalid --pull "${pull}": expected always, missing, never or build`);
  }
  if (bool(ctx, 'build') && bool(ctx, 'no-build')) throw new UsageError('--build and --no-build are incompatible');
  return { ...(pull !== undefined ? { pull: pull as PullOption } : {}), build: bool(ctx, 'build'), noBuild: bool(ctx, 'no-build') };
}

/** Go's strconv.ParseBool, as compose reads its boolean environment variables (anything else is false). */
export function envBool(value: string | undefined): boolean {
  return value !== undefined && TRUE.test(value);
}

const TRUE = /^(1|t|T|TRUE|true|True)$/;

/** `--remove-orphans`, or COMPOSE_REMOVE_ORPHANS when the flag is not given (compose's up, down, kill). */
export function orphanOptions(ctx: CommandContext): { removeOrphans: boolean } {
  const flag = ctx.flags['remove-orphans'];
  return { removeOrphans: typeof flag === 'boolean' ? flag : envBool(ctx.env.COMPOSE_REMOVE_ORPHANS) };
}
