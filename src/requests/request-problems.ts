import { DomainError } from '../common/errors/domain-error.js';

/**
 * The requests' own SQLSTATEs, raised by their guards (migrations/1790000001400-Requests.ts),
 * mapped to problems. Registered by RequestsModule.
 */
export function requestProblems(code: string): DomainError | undefined {
  switch (code) {
    case 'AR141':
      return new DomainError('invalid-state', 'The request is not in a state that allows this; fetch it again.');
    case 'AR142':
      return new DomainError('second-person-required', "A grant at or above the circle's two-person threshold needs a second, different organizer or treasurer.");
    case 'AR143':
      return new DomainError('over-budget', "The grants approved this month would exceed the circle's monthly grant budget.");
    case 'AR144':
      return new DomainError('insufficient-funds', 'The pool, less the grants already approved and not yet paid, cannot cover this grant.');
    default:
      return undefined;
  }
}
