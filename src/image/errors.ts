// The image store's errors that more than one operation raises: their wording lives here only.
import { BerthError } from '../errors.js';

/** An image berth was asked for that its local store does not hold; `hint` says what to do. */
export const notInLocalStore = (image: string, hint?: string): BerthError => new BerthError('image/not-found', `image ${image} is not in the local store`, hint === undefined ? {} : { hint });
