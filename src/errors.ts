/**
 * One base error type for everything berth reports to a person.
 * `code` is stable (`spec/invalid`, `runtime/syscall`, ...); `message` is one line that
 * names the object; `hint` says what to do; `cause` keeps the original.
 */
export type ErrorCode = `${string}/${string}`;

export interface BerthErrorOptions {
  readonly hint?: string | undefined;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

export class BerthError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  /** Structured facts about the failure (not named `details`: test reporters read that as text). */
  readonly data: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: BerthErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BerthError';
    this.code = code;
    this.hint = options.hint;
    this.data = { ...options.details };
  }
}

/** Where in a compose file something went wrong. */
export interface SourcePosition {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/** A mistake in the user's compose input: carries the file position and the tree path. */
export class SpecError extends BerthError {
  readonly position: SourcePosition | undefined;
  readonly path: string | undefined;

  constructor(code: ErrorCode, message: string, options: BerthErrorOptions & { position?: SourcePosition; path?: string } = {}) {
    super(code, message, options);
    this.name = 'SpecError';
    this.position = options.position;
    this.path = options.path;
  }

  /** `compose.yaml:12:5: services.web.ports[0]: message` */
  override toString(): string {
    const where = this.position ? `${this.position.file}${this.position.line ? `:${this.position.line}` : ''}${this.position.column ? `:${this.position.column}` : ''}: ` : '';
    const path = this.path ? `${this.path}: ` : '';
    return `${where}${path}${this.message}`;
  }
}

/** A mistake on the command line: exit code 2. */
export class UsageError extends BerthError {
  constructor(message: string, options: BerthErrorOptions = {}) {
    super('cli/usage', message, options);
    this.name = 'UsageError';
  }
}

/** Several independent failures (teardown gathers them instead of stopping). */
export class AggregateBerthError extends BerthError {
  readonly errors: readonly unknown[];
  constructor(code: ErrorCode, message: string, errors: readonly unknown[]) {
    super(code, `${message}: ${errors.map(describe).join('; ')}`, { details: { count: errors.length } });
    this.name = 'AggregateBerthError';
    this.errors = errors;
  }
}

export function describe(err: unknown): string {
  if (err instanceof SpecError) return err.toString();
  if (err instanceof Error) return err.message;
  return String(err);
}

export function isBerthError(err: unknown): err is BerthError {
  return err instanceof BerthError;
}

/** Node's system errors carry `code` (ENOENT...), `syscall` and `path`. */
export function errnoCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
