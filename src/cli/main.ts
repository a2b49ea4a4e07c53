import { parseArgs, formatFlags, type FlagSpec, type FlagValues } from './args.js';
import { globalFlags, helpFlag, type Command, type CommandContext, type GlobalOptions } from './command.js';
import { commands, type CommandEntry, type GroupEntry } from './commands/index.js';
import { BerthError, SpecError, UsageError, describe } from '../errors.js';
import type { BackendFactory } from '../api/index.js';
import { trace } from '../util/trace.js';
export { endQuietlyOnEpipe } from './epipe.js';

type Out = NodeJS.WritableStream;

/** Runs berth with argv (without `node` and the script) over `backend`; returns the exit code. */
export async function main(argv: readonly string[], io: { stdout: Out; stderr: Out }, createBackend: BackendFactory): Promise<number> {
  trace('cli: start');
  let verbose = argv.includes('--verbose');
  try {
    const top = parseArgs(argv, globalFlags, { commandName: 'berth', stopAtPositional: true });
    verbose = top.flags.verbose === true;
    if (top.flags.version) {
      const { berthVersion } = await import('../util/version.js'); // only here: one module less per start
      io.stdout.write(`berth version ${berthVersion()}\n`);
      return 0;
    }
    const [name, ...rest] = top.positionals;
    if (name === undefined || name === 'help' || top.flags.help) {
      io.stdout.write(topHelp());
      return 0;
    }
    const group = commands[name];
    if (group && isGroup(group) && (rest[0] === undefined || ['--help', '-h', 'help'].includes(rest[0]))) {
      (rest[0] === undefined ? io.stderr : io.stdout).write(`${groupHelp(name, group)}\n`);
      return rest[0] === undefined ? 2 : 0;
    }
    const resolved = resolveCommand(name, rest);
    const backend = createBackend(process.env);
    const command = (await resolved.entry.load()).command;
    trace(`${resolved.path}: command loaded`);
    // Global flags are also accepted after the command (cobra's persistent flags), unless
    // the command has a flag of the same name or shorthand (`logs -f`, `run -p`).
    const inherited = inheritedGlobalFlags(command);
    const parsed = parseArgs(resolved.rest, [...command.flags, ...inherited, helpFlag], {
      commandName: resolved.path,
      stopAtPositional: command.stopAtPositional ?? false,
    });
    if (parsed.flags.help) {
      io.stdout.write(commandHelp(command));
      return 0;
    }
    checkArgCount(command, parsed.positionals, resolved.path);
    const global = globalOptions(mergeGlobal(top.flags, parsed.flags, inherited), process.env);
    if (global.dryRun && command.dryRun !== true)
      throw new UsageError(`${resolved.path}: --dry-run is not supported`, { hint: 'up, down, start, stop, restart, kill, pause, unpause and rm show what they would do with --dry-run' });
    if (!command.rootless && process.getuid?.() !== 0) {
      io.stderr.write('berth needs root: run it with sudo\n');
      return 1;
    }
    const controller = new AbortController();
    const onSignal = (sig: NodeJS.Signals): void => {
      if (controller.signal.aborted) process.exit(sig === 'SIGINT' ? 130 : 143);
      controller.abort(new BerthError('cli/interrupted', `interrupted by ${sig}`));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const ctx: CommandContext = {
      global,
      flags: parsed.flags,
      args: parsed.positionals,
      env: process.env,
      cwd: process.cwd(),
      // Lazy: creating the stdio streams costs ~3 ms of every start (container start latency)
      // and most commands never read stdin.
      get stdin() {
        return process.stdin;
      },
      get stdout() {
        return io.stdout as CommandContext['stdout'];
      },
      get stderr() {
        return io.stderr as CommandContext['stderr'];
      },
      signal: controller.signal,
      backend,
    };
    try {
      return await command.run(ctx);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  } catch (err) {
    io.stderr.write(formatError(err, verbose));
    return err instanceof UsageError ? 2 : 1;
  }
}

function resolveCommand(name: string, rest: readonly string[]): { entry: CommandEntry; rest: readonly string[]; path: string } {
  const entry = commands[name];
  if (!entry) throw new UsageError(`unknown command: berth ${name}`, { hint: "see 'berth --help'" });
  if (!isGroup(entry)) return { entry, rest, path: `berth ${name}` };
  const [sub = '', ...subRest] = rest;
  const subEntry = entry.group[sub];
  if (!subEntry) throw new UsageError(`unknown command: berth ${name} ${sub}`, { hint: `see 'berth ${name} --help'` });
  return { entry: subEntry, rest: subRest, path: `berth ${name} ${sub}` };
}

function inheritedGlobalFlags(command: Command): FlagSpec[] {
  const own = new Set(command.flags.map((f) => f.name));
  const ownShort = new Set(command.flags.flatMap((f) => (f.short ? [f.short] : [])));
  return globalFlags.filter((g) => g.name !== 'help' && g.name !== 'version' && !own.has(g.name)).map((g) => (g.short && ownShort.has(g.short) ? { ...g, short: undefined } : g)) as FlagSpec[];
}

/** Global flag values from before the command, then from after it (lists append, scalars replace). */
function mergeGlobal(before: FlagValues, after: FlagValues, inherited: readonly FlagSpec[]): FlagValues {
  const merged: FlagValues = { ...before };
  for (const spec of inherited) {
    const value = after[spec.name];
    if (value === undefined) continue;
    const prev = merged[spec.name];
    merged[spec.name] = Array.isArray(value) && Array.isArray(prev) ? [...prev, ...value] : value;
    delete after[spec.name];
  }
  return merged;
}

function isGroup(e: CommandEntry | GroupEntry): e is GroupEntry {
  return 'group' in e;
}

function checkArgCount(command: Command, positionals: readonly string[], path: string): void {
  const { min = 0, max } = command.args ?? {};
  if (positionals.length < min) {
    throw new UsageError(`${path}: requires at least ${min} argument${min === 1 ? '' : 's'}`, { hint: `usage: ${command.usage}` });
  }
  if (max !== undefined && positionals.length > max) {
    throw new UsageError(`${path}: accepts at most ${max} argument${max === 1 ? '' : 's'}, got ${positionals.length}`, {
      hint: `usage: ${command.usage}`,
    });
  }
}

/** The global flags, with compose's environment variables as their defaults (COMPOSE_ENV_FILES, COMPOSE_PROGRESS, COMPOSE_ANSI, COMPOSE_PARALLEL_LIMIT). */
export function globalOptions(flags: Record<string, unknown>, env: Readonly<Record<string, string | undefined>>): GlobalOptions {
  const list = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);
  const envFiles = list(flags['env-file']);
  const ansi = typeof flags.ansi === 'string' ? flags.ansi : (env.COMPOSE_ANSI ?? 'auto');
  if (ansi !== 'auto' && ansi !== 'never' && ansi !== 'always') throw new UsageError(`invalid --ansi "${ansi}": expected never, always or auto`);
  let parallel = typeof flags.parallel === 'number' ? flags.parallel : -1;
  const limit = env.COMPOSE_PARALLEL_LIMIT;
  if (typeof flags.parallel !== 'number' && limit !== undefined) {
    if (!/^[+-]?\d+$/.test(limit.trim())) throw new UsageError(`COMPOSE_PARALLEL_LIMIT must be an integer (found: "${limit}")`);
    parallel = Number(limit);
  }
  const progress = typeof flags.progress === 'string' ? flags.progress : env.COMPOSE_PROGRESS || undefined;
  return {
    files: list(flags.file),
    projectName: typeof flags['project-name'] === 'string' ? flags['project-name'] : undefined,
    projectDirectory: typeof flags['project-directory'] === 'string' ? flags['project-directory'] : undefined,
    envFiles: envFiles.length > 0 ? envFiles : (env.COMPOSE_ENV_FILES ?? '').split(',').filter((f) => f !== ''),
    profiles: list(flags.profile),
    verbose: flags.verbose === true,
    progress,
    dryRun: flags['dry-run'] === true,
    ansi,
    parallel,
  };
}

/** The one place errors become text. A user mistake never shows a stack trace. */
export function formatError(err: unknown, verbose: boolean): string {
  const lines: string[] = [];
  if (err instanceof SpecError || err instanceof BerthError) {
    lines.push(`berth: ${describe(err)}`);
    if (err.hint) lines.push(`  hint: ${err.hint}`);
  } else if (err instanceof Error) {
    lines.push(`berth: internal error: ${err.message}`);
    lines.push('  this is a bug in berth; rerun with --verbose and report it');
    if (verbose && err.stack) lines.push(err.stack);
  } else {
    lines.push(`berth: ${String(err)}`);
  }
  if (verbose) {
    let cause = err instanceof Error ? err.cause : undefined;
    while (cause !== undefined) {
      lines.push(`  caused by: ${describe(cause)}`);
      cause = cause instanceof Error ? cause.cause : undefined;
    }
  }
  return `${lines.join('\n')}\n`;
}

function topHelp(): string {
  const names = Object.keys(commands).sort();
  const width = Math.max(...names.map((n) => n.length));
  return [
    'Usage:  berth [OPTIONS] COMMAND',
    '',
    "Define and run multi-container applications, with berth's own container runtime.",
    '',
    'Options:',
    formatFlags(globalFlags),
    '',
    'Commands:',
    ...names.map((n) => `  ${n.padEnd(width)}   ${commands[n]!.summary}`),
    '',
    "Run 'berth COMMAND --help' for more information on a command.",
    '',
  ].join('\n');
}

function groupHelp(name: string, group: GroupEntry): string {
  const names = Object.keys(group.group).sort();
  const width = Math.max(...names.map((n) => n.length));
  return [`Usage:  berth ${name} COMMAND`, '', group.summary, '', 'Commands:', ...names.map((n) => `  ${n.padEnd(width)}   ${group.group[n]!.summary}`)].join('\n');
}

function commandHelp(command: Command): string {
  return [`Usage:  ${command.usage}`, '', command.summary, '', 'Options:', formatFlags([...command.flags, helpFlag]), ''].join('\n');
}
