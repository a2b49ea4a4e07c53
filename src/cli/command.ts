import type { FlagSpec, FlagValues } from './args.js';
import type { Backend } from '../api/index.js';

/** Global options, given before the command (as `docker compose -f x.yaml -p name up`). */
export interface GlobalOptions {
  readonly files: readonly string[];
  readonly projectName: string | undefined;
  readonly projectDirectory: string | undefined;
  readonly envFiles: readonly string[];
  readonly profiles: readonly string[];
  readonly verbose: boolean;
  /** `--progress`: how events are drawn (auto, tty, plain, json, quiet); undefined = auto. */
  readonly progress: string | undefined;
  /** `--dry-run`: show what the command would do, change nothing. */
  readonly dryRun: boolean;
  /** `--ansi` (or COMPOSE_ANSI): when to print colours; `auto` = on a terminal. */
  readonly ansi: 'auto' | 'never' | 'always';
  /** `--parallel` (or COMPOSE_PARALLEL_LIMIT): operations at once; -1 = unlimited. */
  readonly parallel: number;
}

export interface CommandContext {
  readonly global: GlobalOptions;
  readonly flags: FlagValues;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Aborted on the first SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
  /** What the command calls: the engine and berth's other verbs (src/api). */
  readonly backend: Backend;
}

/** One file per verb under `cli/commands/` exports `command: Command`. */
export interface Command {
  readonly usage: string;
  readonly summary: string;
  readonly flags: readonly FlagSpec[];
  /** Minimum and maximum positional arguments (max undefined = any). */
  readonly args?: { readonly min: number; readonly max?: number };
  /** Stop flag parsing at the first positional (e.g. `exec SERVICE CMD -x`). */
  readonly stopAtPositional?: boolean;
  /** True when the command honours `--dry-run` (prints its plan, changes nothing); others refuse it. */
  readonly dryRun?: boolean;
  /** Runs without root (it reads files only); every other command needs root. */
  readonly rootless?: boolean;
  run(ctx: CommandContext): Promise<number>;
}

export const globalFlags: readonly FlagSpec[] = [
  { name: 'file', short: 'f', type: 'list', value: 'FILE', help: 'Compose configuration files' },
  { name: 'project-name', short: 'p', type: 'string', value: 'NAME', help: 'Project name' },
  { name: 'project-directory', type: 'string', value: 'DIR', help: "Alternate working directory (default: the first compose file's directory)" },
  { name: 'env-file', type: 'list', value: 'FILE', help: 'Alternate environment files (default: COMPOSE_ENV_FILES, comma-separated)' },
  { name: 'profile', type: 'list', value: 'NAME', help: 'Enable a profile' },
  { name: 'progress', type: 'string', value: 'TYPE', help: 'Progress output: auto, tty, plain, json, quiet (default: COMPOSE_PROGRESS, BERTH_PROGRESS)' },
  { name: 'ansi', type: 'string', value: 'WHEN', help: 'Control when to print ANSI control characters ("never"|"always"|"auto") (default "auto", or COMPOSE_ANSI)' },
  { name: 'parallel', type: 'int', value: 'N', help: 'Control max parallelism, -1 for unlimited (default -1, or COMPOSE_PARALLEL_LIMIT)' },
  { name: 'dry-run', type: 'bool', help: 'Show what the command would do (the plan), change nothing' },
  { name: 'verbose', type: 'bool', help: 'Show the cause chain of errors' },
  { name: 'help', short: 'h', type: 'bool', help: 'Show help' },
  { name: 'version', short: 'v', type: 'bool', help: 'Show the berth version' },
];

/** `--help` is accepted by every command. */
export const helpFlag: FlagSpec = { name: 'help', type: 'bool', help: 'Show help for this command' };
