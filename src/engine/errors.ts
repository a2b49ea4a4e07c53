// The engine's errors that more than one verb raises: their wording lives here only.
import { BerthError, type BerthErrorOptions } from '../errors.js';

/** A service the project's compose file does not have. */
export const noSuchService = (service: string, options: BerthErrorOptions = {}): BerthError => new BerthError('engine/no-such-service', `no such service: ${service}`, options);
/** A service the project has, with no container (not created, or removed). */
export const noContainerFor = (service: string, project: string): BerthError => new BerthError('engine/no-such-service', `no container found for service ${service} in project ${project}`);
