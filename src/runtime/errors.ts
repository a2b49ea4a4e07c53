// The runtime's errors that more than one verb raises: their wording lives here only.
import { BerthError, type BerthErrorOptions } from '../errors.js';

export const noSuchContainer = (id: string, options: BerthErrorOptions = {}): BerthError => new BerthError('runtime/not-found', `no such container: ${id}`, options);
export const notRunning = (id: string, options: BerthErrorOptions = {}): BerthError => new BerthError('runtime/not-running', `container ${id} is not running`, options);
