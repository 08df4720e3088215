/**
 * Every kind of error the API returns, with its HTTP status and title. The `type` URI of
 * a problem response is `urn:arvut:problem:<code>`; docs/errors.md lists the same table.
 */
export const PROBLEM_CATALOG = {
  'validation-failed': { status: 400, title: 'The request is not valid' },
  'malformed-json': { status: 400, title: 'The request body is not valid JSON' },
  'idempotency-key-missing': { status: 400, title: 'This operation requires an Idempotency-Key header' },
  'bad-signature': { status: 400, title: 'The webhook signature is missing or does not verify' },
  unauthenticated: { status: 401, title: 'Authentication is required' },
  'invalid-credentials': { status: 401, title: 'Email or password is wrong' },
  forbidden: { status: 403, title: 'Your role does not allow this' },
  'not-found': { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  'email-taken': { status: 409, title: 'An account with this email already exists' },
  'already-member': { status: 409, title: 'You are already a member of this circle' },
  'last-organizer': { status: 409, title: 'A circle must keep at least one organizer' },
  'invite-used': { status: 409, title: 'This invite has already been used' },
  'invalid-state': { status: 409, title: 'Not allowed in the current state' },
  'no-free-slot': { status: 409, title: 'Every slot of the active cycle is taken' },
  'acknowledgement-used': { status: 409, title: 'This payout has already been acknowledged' },
  'insufficient-funds': { status: 409, title: 'The pool cannot cover this amount' },
  'over-budget': { status: 409, title: 'The grant budget of this month cannot cover this amount' },
  'second-person-required': { status: 409, title: 'This needs a second, different person' },
  'intake-link-full': { status: 409, title: 'This intake link has reached its cap of open requests' },
  'too-many-attachments': { status: 409, title: 'This request already has as many attachments as allowed' },
  'already-reversed': { status: 409, title: 'This transfer has already been reversed' },
  'idempotency-key-in-flight': { status: 409, title: 'A request with this Idempotency-Key is still being processed' },
  'invite-expired': { status: 410, title: 'This invite has expired' },
  'acknowledgement-expired': { status: 410, title: 'This acknowledgement link has expired' },
  'precondition-failed': { status: 412, title: 'The resource has changed since you read it' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'The request body must be application/json' },
  'unsupported-file-type': { status: 415, title: 'Only JPEG, PNG and PDF files can be attached' },
  'idempotency-key-reused': { status: 422, title: 'This Idempotency-Key was used with a different request' },
  'constraint-violated': { status: 422, title: 'The request breaks a data rule' },
  'amount-over-limit': { status: 422, title: "The amount is above this circle's limit for one posting" },
  'precondition-required': { status: 428, title: 'This operation requires an If-Match header' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  'internal-error': { status: 500, title: 'Internal error' },
  'payments-not-configured': { status: 503, title: 'Card payments are not configured on this server' },
  unavailable: { status: 503, title: 'A dependency is unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEM_CATALOG;

export const problemType = (code: ProblemCode): string => `urn:arvut:problem:${code}`;
