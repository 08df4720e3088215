import type { ProblemCode } from './problem-catalog.js';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * What services throw. The problem filter maps `code` to status, type and title once;
 * `detail` must never contain personal data (invariant 9).
 */
export class DomainError extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail?: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string>; [key: string]: unknown } = {},
  ) {
    super(detail ?? code);
    this.name = 'DomainError';
  }

  static notFound(what = 'resource'): DomainError {
    return new DomainError('not-found', `No such ${what}, or you do not have access to it.`);
  }
}
