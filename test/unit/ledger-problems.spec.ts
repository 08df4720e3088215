import { describe, expect, it } from '@jest/globals';
import { QueryFailedError } from 'typeorm';
import { registerDatabaseProblems } from '../../src/common/errors/database-problems.js';
import { ProblemFilter } from '../../src/common/errors/problem.filter.js';
import { ACCOUNT_KINDS, NORMAL_SIDE, normalBalance } from '../../src/ledger/account-kind.js';
import { toJsonAmount, toMinorUnits } from '../../src/ledger/ledger-amount.js';
import { ledgerProblems } from '../../src/ledger/ledger-problems.js';

// As LedgerModule does when the app starts.
registerDatabaseProblems(ledgerProblems);

const fromSql = (code: string, constraint?: string): { status: number; type: string; detail: string } => {
  const error = new QueryFailedError('SELECT ledger_post(...)', [], Object.assign(new Error('raw database message'), { code, constraint }));
  return new ProblemFilter().toProblem(error).body;
};

describe('ledger errors from the database', () => {
  it.each([
    ['AR001', undefined, 422, 'constraint-violated'],
    ['AR002', undefined, 422, 'constraint-violated'],
    ['AR003', undefined, 409, 'already-reversed'],
    ['AR004', undefined, 404, 'not-found'],
    ['AR005', undefined, 409, 'invalid-state'],
    ['AR006', undefined, 422, 'constraint-violated'],
    ['AR007', undefined, 409, 'conflict'],
    ['23514', 'ck_ledger_accounts_pool_not_negative', 409, 'insufficient-funds'],
    // Any other guard of arvut's own (roster/payout/pledge history triggers raise AR1xx, AR6xx…).
    ['AR101', undefined, 422, 'constraint-violated'],
    ['AR602', undefined, 422, 'constraint-violated'],
  ])('map SQLSTATE %s to a %s problem, never 500 and never the SQL text', (code, constraint, status, type) => {
    const body = fromSql(code, constraint);
    expect(body).toMatchObject({ status, type: `urn:arvut:problem:${type}` });
    expect(body.detail).not.toMatch(/raw database message|ledger_post/);
  });
});

describe('ledger amounts and sides', () => {
  it('shows each balance from its normal side', () => {
    expect(ACCOUNT_KINDS.filter((k) => NORMAL_SIDE[k] === 'credit')).toEqual(['contributions', 'adjustments']);
    expect(normalBalance('pool', 500n)).toBe(500n);
    expect(normalBalance('adjustments', -500n)).toBe(500n);
  });

  it('never lets a float or an unsafe number become money', () => {
    expect(toMinorUnits(17500)).toBe(17500n);
    expect(toMinorUnits(-3n)).toBe(-3n);
    expect(() => toMinorUnits(1.5)).toThrow();
    expect(() => toMinorUnits(Number.MAX_SAFE_INTEGER + 1)).toThrow();
    expect(toJsonAmount('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => toJsonAmount('9007199254740992')).toThrow();
  });
});
