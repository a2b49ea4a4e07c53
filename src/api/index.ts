import type { Project } from '../spec/index.js';
export * from './labels.js';
export * from './events.js';
export * from './options.js';
export * from './engine.js';
export * from './backend.js';
export * from './deploy.js';

/** Loads the compose project a command names; the loader (src/spec) loads on first use. */
export async function loadFromSource(...args: Parameters<typeof import('./load-source.js').loadFromSource>): Promise<Project> {
  return (await import('./load-source.js')).loadFromSource(...args);
}
export * from './objects.js';
