/** The bytes of a project's secrets and configs, for both backends. */
import type { Project, Secret } from '../spec/index.js';
import { BerthError } from '../errors.js';

export type ReadFile = (path: string) => Buffer;

/** The bytes of a top-level secret/config (file, inline content or an environment variable). */
export function fileContent(project: Project, kind: 'secrets' | 'configs', key: string, readFile: ReadFile): Buffer | undefined {
  const def: Secret | undefined = project[kind][key];
  if (!def || def.external) return undefined;
  if (def.content !== undefined) return Buffer.from(def.content);
  if (def.environment !== undefined) {
    const value = project.environment[def.environment];
    if (value === undefined) throw new BerthError('deploy/missing-content', `${kind}.${key}: environment variable ${def.environment} is not set`);
    return Buffer.from(value);
  }
  if (def.file !== undefined) return readFile(def.file);
  throw new BerthError('deploy/missing-content', `${kind}.${key}: no file, content or environment`);
}
