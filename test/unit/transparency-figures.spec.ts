import { describe, expect, it } from '@jest/globals';
import { formatMinorUnits } from '../../src/transparency/decimal-amount.js';
import { ledgerCsvRow, LEDGER_CSV_COLUMNS } from '../../src/transparency/exports/ledger-csv.js';
import { median, medianDays } from '../../src/transparency/reports/median.js';

describe('formatMinorUnits', () => {
  it.each([
    [17500n, 2, '175.00'],
    [5n, 2, '0.05'],
    [0n, 2, '0.00'],
    [-17500n, 2, '-175.00'],
    [-5n, 2, '-0.05'],
    [17500n, 0, '17500'],
    [17500n, 3, '17.500'],
    [1n, 4, '0.0001'],
    [9007199254740993n, 2, '90071992547409.93'],
  ])('%s with exponent %s is %s', (minor, exponent, text) => {
    expect(formatMinorUnits(minor, exponent)).toBe(text);
  });

  it('refuses an exponent no currency has', () => {
    expect(() => formatMinorUnits(1n, 5)).toThrow(RangeError);
    expect(() => formatMinorUnits(1n, -1)).toThrow(RangeError);
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the middle two', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNull();
  });

  it('gives days to one decimal place', () => {
    const day = 86_400_000;
    expect(medianDays([day, 3 * day, 10 * day])).toBe(3);
    expect(medianDays([day, 2 * day])).toBe(1.5);
    expect(medianDays([day / 3])).toBe(0.3);
    expect(medianDays([])).toBeNull();
  });
});

describe('ledgerCsvRow', () => {
  const line = {
    transferId: '11111111-1111-4111-8111-111111111111',
    postedAt: '2026-03-06T15:04:05.123456Z',
    kind: 'payout',
    memo: null,
    reverses: null,
    metadata: { payoutId: '22222222-2222-4222-8222-222222222222', cycleId: '33333333-3333-4333-8333-333333333333', week: 3, method: 'cashapp' },
    account: 'pool' as const,
    amount: -17500n,
    accountVersion: 7n,
    balanceAfter: 2500n,
  };

  it('gives one cell per column: a positive size with its side, and decimals from the exponent', () => {
    const row = ledgerCsvRow(line, 'USD', 2);
    expect(row).toHaveLength(LEDGER_CSV_COLUMNS.length);
    expect(Object.fromEntries(LEDGER_CSV_COLUMNS.map((c, i) => [c, row[i]]))).toEqual({
      transfer_id: line.transferId,
      posted_at: line.postedAt,
      kind: 'payout',
      reverses: null,
      account: 'pool',
      side: 'credit',
      amount_minor: 17500n,
      amount: '175.00',
      currency: 'USD',
      account_version: 7n,
      balance_after_minor: 2500n,
      balance_after: '25.00',
      cycle_id: line.metadata.cycleId,
      week: 3,
      method: 'cashapp',
      payout_id: line.metadata.payoutId,
      contribution_id: null,
      memo: null,
    });
    expect(ledgerCsvRow({ ...line, account: 'payouts', amount: 17500n }, 'JPY', 0).slice(5, 8)).toEqual(['debit', 17500n, '17500']);
  });

  it('lets through only the metadata fields it knows, and only in their expected shape', () => {
    const row = ledgerCsvRow({ ...line, metadata: { cycleId: 'Maria Lopez', week: '3', method: '=cmd', payoutId: 42, contributionId: '1', alias: 'T.', note: 'x' } }, 'USD', 2);
    expect(row.slice(12, 17)).toEqual([null, null, null, null, null]);
    expect(row.join('|')).not.toMatch(/Maria|T\.|cmd/);
  });
});
