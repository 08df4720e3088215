import { DomainError } from '../common/errors/domain-error.js';

/**
 * The trust module's SQLSTATEs and constraints (migrations/1790000001500-Trust.ts) as problems.
 * Registered by TrustModule. The services check first; these answer the races.
 */
export function trustProblems(code: string, constraint: string): DomainError | undefined {
  if (code === 'AR150') return new DomainError('invalid-state', 'This join code has already been used; ask for a new one.', { state: 'used' });
  if (code !== '23505') return undefined;
  switch (constraint) {
    case 'pk_network_members':
      return new DomainError('conflict', 'This circle is already in a network; leave it first (a circle is in at most one network).');
    case 'uq_official_handles_circle_handle':
      return new DomainError('conflict', 'This handle is already listed for this payment method.');
    default:
      return undefined;
  }
}
