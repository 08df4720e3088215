import { describe, expect, it } from '@jest/globals';
import { computeCoverage, currentDue, decimalRatio, weeksFunded, type CoverageWeekInput } from '../../src/pledges/coverage.js';

const week = (n: number, fields: Partial<CoverageWeekInput> = {}): CoverageWeekInput => ({
  week: n,
  payoutDate: `2026-03-${String(6 + 7 * (n - 1)).padStart(2, '0')}`,
  pledged: 0n,
  due: 0n,
  received: 0n,
  paidOut: 0n,
  poolAtWeekEnd: null,
  ...fields,
});

describe('coverage ratio', () => {
  it('is pledged ÷ due with exactly four decimals', () => {
    expect(decimalRatio(200_000n, 192_500n)).toBe('1.0390');
    expect(decimalRatio(192_500n, 192_500n)).toBe('1.0000');
    expect(decimalRatio(0n, 192_500n)).toBe('0.0000');
  });

  it('rounds half up, not down', () => {
    // 1/8 = 0.125 → 0.1250 exactly; 2/3 = 0.66666… → 0.6667; 1/3 → 0.3333
    expect(decimalRatio(1n, 8n)).toBe('0.1250');
    expect(decimalRatio(2n, 3n)).toBe('0.6667');
    expect(decimalRatio(1n, 3n)).toBe('0.3333');
    expect(decimalRatio(1n, 20000n)).toBe('0.0001'); // 0.00005 rounds up
  });

  it('is exact far beyond float precision', () => {
    expect(decimalRatio(9_007_199_254_740_993n, 1n)).toBe('9007199254740993.0000');
  });

  it('is null when nothing is due', () => {
    expect(decimalRatio(5000n, 0n)).toBeNull();
  });
});

describe('weeks funded ahead', () => {
  it('counts whole weeks of the due the pool pays', () => {
    expect(weeksFunded(577_500n, 192_500n)).toBe(3);
    expect(weeksFunded(577_499n, 192_500n)).toBe(2);
  });

  it('is 0 for an empty pool and null when nothing is due', () => {
    expect(weeksFunded(0n, 192_500n)).toBe(0);
    expect(weeksFunded(100n, 0n)).toBeNull();
  });
});

describe('current due', () => {
  it('is the due of the first week not yet past', () => {
    const weeks = [week(1, { due: 100n }), week(2, { due: 200n }), week(3, { due: 300n })];
    expect(currentDue(weeks, weeks[1].payoutDate)).toBe(200n);
    expect(currentDue(weeks, '2026-03-14')).toBe(300n);
    expect(currentDue(weeks, '2026-01-01')).toBe(100n);
  });

  it('is 0 once every week is past', () => {
    expect(currentDue([week(1, { due: 100n })], '2027-01-01')).toBe(0n);
  });
});

describe('a cycle\'s coverage', () => {
  it('gives each week its ratio and the weeks its closing pool funded, and the same for now', () => {
    const result = computeCoverage({
      weeks: [
        week(1, { pledged: 150_000n, due: 192_500n, received: 140_000n, paidOut: 192_500n, poolAtWeekEnd: 400_000n }),
        week(2, { pledged: 200_000n, due: 175_000n }),
      ],
      poolNow: 400_000n,
      reservedNow: 0n,
      pledgedNow: 200_000n,
      dueNow: 175_000n,
    });
    expect(result.weeks.map((w) => [w.coverageRatio, w.weeksFundedAhead])).toEqual([
      ['0.7792', 2],
      ['1.1429', null],
    ]);
    expect(result.coverageRatioNow).toBe('1.1429');
    expect(result.weeksFundedAheadNow).toBe(2);
    expect(result.weeks[0]).toMatchObject({ received: 140_000n, paidOut: 192_500n, poolAtWeekEnd: 400_000n });
  });

  it('has no ratio and no weeks ahead after the cycle ended', () => {
    const result = computeCoverage({ weeks: [], poolNow: 1000n, reservedNow: 0n, pledgedNow: 500n, dueNow: 0n });
    expect(result.coverageRatioNow).toBeNull();
    expect(result.weeksFundedAheadNow).toBeNull();
  });

  it('counts the weeks ahead on the pool less what approved grants reserve, not on the whole pool', () => {
    const result = computeCoverage({ weeks: [], poolNow: 400_000n, reservedNow: 100_000n, pledgedNow: 0n, dueNow: 100_000n });
    expect(result.availableNow).toBe(300_000n);
    expect(result.weeksFundedAheadNow).toBe(3);
  });

  it('funds no week when payouts drew the pool below the reservations', () => {
    const result = computeCoverage({ weeks: [], poolNow: 50_000n, reservedNow: 80_000n, pledgedNow: 0n, dueNow: 10_000n });
    expect(result.availableNow).toBe(-30_000n);
    expect(result.weeksFundedAheadNow).toBe(0);
  });
});
