import { DomainError } from '../common/errors/domain-error.js';

/**
 * The ledger's own SQLSTATEs, raised by its guards and posting functions
 * (migrations/1790000000320-LedgerGuards.ts, …330-LedgerPosting.ts, …800-Receipts.ts), and
 * the pool's check constraint (invariant 4), mapped to problems. Registered by LedgerModule.
 */
export function ledgerProblems(code: string, constraint: string): DomainError | undefined {
  switch (code) {
    case '23514':
      if (constraint.includes('pool_not_negative')) return new DomainError('insufficient-funds', 'The pool cannot cover this amount.');
      // docs/ledger.md, "Amount limits": no account's totals go past 2^53 − 1.
      if (constraint.includes('totals_bounded')) return new DomainError('constraint-violated', "This posting would take an account's totals past the largest amount the books hold (9007199254740991 minor units).");
      return undefined;
    case 'AR001':
      return new DomainError('constraint-violated', 'A transfer needs two or more non-zero entries on distinct accounts that sum to zero.');
    case 'AR002':
      return new DomainError('constraint-violated', 'Ledger records cannot be changed or removed; post a reversal instead.');
    case 'AR003':
      return new DomainError('already-reversed', 'This transfer has already been reversed.');
    case 'AR004':
      return DomainError.notFound('transfer');
    case 'AR005':
      return new DomainError('invalid-state', 'A reversal cannot itself be reversed; post a new transfer instead.');
    case 'AR006':
      return new DomainError('constraint-violated', 'The posting names an account this circle does not have.');
    case 'AR007':
      return new DomainError('conflict', 'This transfer id is already used by another posting.');
    default:
      return undefined;
  }
}
