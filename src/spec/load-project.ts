import type { LoadOptions, Project } from './types.js';
import { SpecError } from '../errors.js';

/** Loads, validates and normalizes a compose project (see README.md for the stages). */
export async function loadProject(options: LoadOptions): Promise<Project> {
  void options;
  throw new SpecError('spec/unimplemented', 'the compose loader is not implemented yet');
}
