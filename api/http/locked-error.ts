/** 423 Locked: the request is valid, but the feature it asks for is not enabled for this tenant. */
import { ApiError } from './errors';

export class LockedError extends ApiError {
  constructor(message: string) {
    super(423, 'LOCKED', message);
  }
}
