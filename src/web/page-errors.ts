import { ProblemFilter } from '../common/errors/problem.filter.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { PageOptions } from './page-renderer.js';

/** Problem codes → the error page that explains them in plain words (error.* in the catalogues). */
const PAGES: Record<string, string> = {
  'not-found': 'notFound',
  'acknowledgement-expired': 'expired',
  'invite-expired': 'expired',
  'acknowledgement-used': 'used',
  'invalid-state': 'state',
  conflict: 'state',
  'constraint-violated': 'state',
  'validation-failed': 'invalid',
  'malformed-json': 'invalid',
  forbidden: 'csrf',
  'intake-link-full': 'full',
  'too-many-attachments': 'state',
  'payload-too-large': 'tooLarge',
  'unsupported-file-type': 'fileType',
  'unsupported-media-type': 'invalid',
  'rate-limited': 'tooMany',
  unavailable: 'unavailable',
};

const problems = new ProblemFilter();

/**
 * What a page shows for an error a service raised: the problem's own status (404 unknown or
 * revoked link, 409 used, 410 expired…) with a localized explanation — never the JSON
 * problem, never the English detail (which may name states a person need not know).
 * Anything unexpected is rethrown, so the global filter logs it and answers 500.
 */
export function errorPage(error: unknown): PageOptions {
  const { body, headers } = problems.toProblem(error);
  if (body.status >= 500 && body.status !== 503) throw error;
  const code = error instanceof DomainError ? error.code : String(body.type).replace('urn:arvut:problem:', '');
  const key = PAGES[code] ?? 'generic';
  // Headers the problem comes with (Retry-After on rate-limited) go on the page too.
  return { view: 'error', status: body.status, title: `error.${key}.title`, data: { bodyKey: `error.${key}.body` }, headers };
}

/** The page for a form whose CSRF token is missing or wrong. */
export const CSRF_FAILED: PageOptions = { view: 'error', status: 403, title: 'error.csrf.title', data: { bodyKey: 'error.csrf.body' } };
