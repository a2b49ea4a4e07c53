/**
 * `develop.watch` rules of the selected services, compiled once: include/ignore matchers
 * (rule `ignore` relative to the rule's path, the build context's .dockerignore, editor
 * temp files, `.git/`), checked the way compose checks them before watching starts.
 */
import { loadDockerignoreSync } from '../util/dockerignore.js';
import { BerthError } from '../errors.js';
import type { Project, Service, WatchRule } from '../spec/index.js';
import { anyMatcher, anyOf, EPHEMERAL_PATTERNS, noneMatcher, patternMatcher, type PathMatcher } from './matcher.js';
const { relative, sep } = process.getBuiltinModule('node:path');
const { statSync } = process.getBuiltinModule('node:fs');

export interface CompiledRule {
  readonly service: string;
  readonly rule: WatchRule;
  readonly include: PathMatcher;
  readonly ignore: PathMatcher;
}

export interface CompiledRules {
  readonly rules: readonly CompiledRule[];
  /** Host paths to watch (rule paths), sorted, deduplicated. */
  readonly paths: readonly string[];
  /** Selected services with no `develop.watch`, sorted. */
  readonly unwatched: readonly string[];
  /** One-line warnings found while compiling (bind-mounted paths). */
  readonly warnings: readonly string[];
}

export function isChild(parent: string, p: string): boolean {
  const rel = relative(parent, p);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !rel.startsWith(sep));
}

/** The build context's `.dockerignore`, as compose applies it to watch events. */
export function dockerIgnoreOf(service: Service): PathMatcher {
  const ctx = service.build?.context;
  if (!ctx || !ctx.startsWith('/')) return noneMatcher;
  const inline = service.build?.dockerfile_inline !== undefined;
  const { file, matcher } = loadDockerignoreSync(ctx, inline ? undefined : (service.build?.dockerfile ?? 'Dockerfile'));
  return file === undefined
    ? noneMatcher
    : patternMatcher(
        ctx,
        matcher.patterns.map((p) => (p.exclusion ? `!${p.text}` : p.text)),
      );
}

const ephemeral = patternMatcher('/', EPHEMERAL_PATTERNS);
const dotGit = patternMatcher('/', ['**/.git']);

export function isSyncAction(a: WatchRule['action']): boolean {
  return a === 'sync' || a === 'sync+restart' || a === 'sync+exec';
}

function boundByBind(service: Service, path: string): boolean {
  return (service.volumes ?? []).some((v) => v.type === 'bind' && v.source !== undefined && isChild(v.source, path));
}

/** Host paths no restart-on-change rule watches (kernel and runtime trees, not source code). */
const SYSTEM_TREES = ['/proc', '/sys', '/dev', '/run', '/var/run'];

/**
 * berth's `--restart-on-change`: a `restart` rule per host directory the service
 * bind-mounts (with the same ignores as any rule: `.git/`, editor temp files, the build
 * context's .dockerignore). Sorted, deduplicated.
 */
export function restartOnChangeRules(service: Service): WatchRule[] {
  const dirs = new Set<string>();
  for (const v of service.volumes ?? []) {
    if (v.type !== 'bind' || !v.source?.startsWith('/') || SYSTEM_TREES.some((t) => isChild(t, v.source!)) || v.source === '/') continue;
    const st = statSync(v.source, { throwIfNoEntry: false });
    if (st?.isDirectory()) dirs.add(v.source);
  }
  return [...dirs].sort().map((path) => ({ path, action: 'restart' as const }));
}

export interface CompileOptions {
  /** Add a `restart` rule per bind-mounted host directory (services with or without `develop.watch`). */
  readonly restartOnChange?: boolean;
}

/** Compiles the rules of `names` (all services when empty). Throws on rules compose rejects. */
export function compileRules(project: Project, names: readonly string[], options: CompileOptions = {}): CompiledRules {
  for (const n of names) {
    if (!project.services[n]) {
      throw new BerthError('watch/no-such-service', `no such service: ${n}`, { hint: `services: ${Object.keys(project.services).sort().join(', ')}` });
    }
  }
  const selected = (names.length > 0 ? [...names] : Object.keys(project.services)).sort();
  const rules: CompiledRule[] = [];
  const unwatched: string[] = [];
  const warnings: string[] = [];
  for (const name of selected) {
    const service = project.services[name]!;
    const watch = [...(service.develop?.watch ?? []), ...(options.restartOnChange ? restartOnChangeRules(service) : [])];
    if (watch.length === 0) {
      unwatched.push(name);
      continue;
    }
    const dockerIgnore = dockerIgnoreOf(service);
    for (const rule of watch) {
      if (rule.action === 'rebuild' && !service.build) {
        throw new BerthError('watch/rebuild-without-build', `service ${name}: can't watch ${rule.path} with action rebuild without a build context`, {
          hint: 'use action sync, sync+restart or restart, or add a build section',
        });
      }
      if (rule.action === 'sync+exec' && (rule.exec?.command.length ?? 0) === 0) {
        throw new BerthError('watch/exec-without-command', `service ${name}: can't watch ${rule.path} with action sync+exec without exec.command`);
      }
      if (isSyncAction(rule.action) && !rule.target) {
        throw new BerthError('watch/sync-without-target', `service ${name}: can't watch ${rule.path} with action ${rule.action} without a target`);
      }
      if (isSyncAction(rule.action) && boundByBind(service, rule.path)) {
        warnings.push(`service ${name}: path ${rule.path} is also declared by a bind mount volume, this path won't be monitored`);
        continue;
      }
      rules.push({
        service: name,
        rule,
        include: rule.include && rule.include.length > 0 ? patternMatcher(rule.path, rule.include) : anyMatcher,
        ignore: anyOf(dockerIgnore, ephemeral, dotGit, patternMatcher(rule.path, rule.ignore ?? [])),
      });
    }
  }
  const paths = [...new Set(rules.map((r) => r.rule.path))].sort();
  return { rules, paths, unwatched, warnings };
}
