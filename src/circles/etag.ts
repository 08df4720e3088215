import { DomainError } from '../common/errors/domain-error.js';

export const etagOf = (version: number): string => `"${version}"`;

/**
 * Optimistic concurrency for editable settings: the caller must send the ETag it read.
 * Missing → 428; no listed tag matches the current version → 412.
 */
export function requireIfMatch(ifMatch: string | undefined, currentVersion: number): void {
  if (!ifMatch || !ifMatch.trim()) throw new DomainError('precondition-required', 'Send If-Match with the ETag from your last read of this resource.');
  const tags = ifMatch.split(',').map((t) => t.trim());
  if (tags.includes('*') || tags.includes(etagOf(currentVersion))) return;
  throw new DomainError('precondition-failed', 'The resource changed since you read it: fetch it again and reapply your change.');
}
