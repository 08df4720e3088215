import { describe, expect, it } from '@jest/globals';
import { cardContributionEntries, compensationEntries, manualContributionEntries } from '../../src/pledges/contribution-entries.js';
import { canMovePledge } from '../../src/pledges/pledge-status.js';
import { pathTo } from '../../src/pledges/pledge-transitions.service.js';
import { missedWeeks, statusForMissed } from '../../src/pledges/pledge-weeks.js';

const sum = (entries: { amount: bigint | number }[]) => entries.reduce((s, e) => s + BigInt(e.amount), 0n);

describe('the pledge state machine', () => {
  it('allows the documented moves and refuses leaving a final state', () => {
    expect(canMovePledge('pending', 'active')).toBe(true);
    expect(canMovePledge('active', 'past_due')).toBe(true);
    expect(canMovePledge('past_due', 'lapsed')).toBe(true);
    expect(canMovePledge('paused', 'past_due')).toBe(false);
    expect(canMovePledge('pending', 'paused')).toBe(false);
    for (const final of ['lapsed', 'cancelled', 'completed'] as const) expect(canMovePledge(final, 'active')).toBe(false);
  });

  it('finds the shortest legal path to a provider-reported state', () => {
    expect(pathTo('pending', 'past_due')).toEqual(['active', 'past_due']);
    expect(pathTo('paused', 'past_due')).toEqual(['active', 'past_due']);
    expect(pathTo('active', 'lapsed')).toEqual(['past_due', 'lapsed']);
    expect(pathTo('past_due', 'active')).toEqual(['active']);
    expect(pathTo('cancelled', 'active')).toEqual([]);
    expect(pathTo('active', 'active')).toEqual([]);
  });
});

describe('missed weeks of a manual pledge', () => {
  const base = { anchorOn: '2026-03-02', amount: 2000n };

  it('counts weeks that ended without money for them', () => {
    expect(missedWeeks({ ...base, today: '2026-03-08', received: 0n })).toBe(0);
    expect(missedWeeks({ ...base, today: '2026-03-09', received: 0n })).toBe(1);
    expect(missedWeeks({ ...base, today: '2026-03-23', received: 0n })).toBe(3);
  });

  it('credits money paid ahead or late, but not a part of a week', () => {
    expect(missedWeeks({ ...base, today: '2026-03-23', received: 6000n })).toBe(0);
    expect(missedWeeks({ ...base, today: '2026-03-23', received: 5999n })).toBe(1);
    expect(missedWeeks({ ...base, today: '2026-03-09', received: 20_000n })).toBe(0);
  });

  it('maps missed weeks to a status with a configurable lapse', () => {
    expect(statusForMissed(0, 3)).toBe('active');
    expect(statusForMissed(2, 3)).toBe('past_due');
    expect(statusForMissed(3, 3)).toBe('lapsed');
    expect(statusForMissed(1, 1)).toBe('lapsed');
  });
});

describe('contribution entries', () => {
  it('puts cash in the pool and a card payment\'s net in the pool and its fee in fees, balanced', () => {
    expect(manualContributionEntries(2000n)).toEqual([
      { account: 'contributions', amount: -2000n },
      { account: 'pool', amount: 2000n },
    ]);
    const card = cardContributionEntries(2000n, 88n);
    expect(card).toEqual([
      { account: 'contributions', amount: -2000n },
      { account: 'pool', amount: 1912n },
      { account: 'fees', amount: 88n },
    ]);
    expect(sum(card)).toBe(0n);
    expect(cardContributionEntries(2000n, 0n)).toHaveLength(2);
    expect(() => cardContributionEntries(100n, 101n)).toThrow(RangeError);
  });

  it('takes a refund from the pool while it can, and books the rest as a shortfall (invariant 4)', () => {
    const covered = compensationEntries(700n, 0n, 10_000n);
    expect(covered).toMatchObject({ fromPool: 700n, shortfall: 0n });
    expect(covered.entries).toEqual([
      { account: 'contributions', amount: 700n },
      { account: 'pool', amount: -700n },
    ]);
    const short = compensationEntries(2000n, 1500n, 1912n);
    expect(short).toMatchObject({ fromPool: 1912n, shortfall: 1588n });
    expect(sum(short.entries)).toBe(0n);
    expect(short.entries).toContainEqual({ account: 'adjustments', amount: -1588n });
    expect(compensationEntries(500n, 0n, 0n).entries).toEqual([
      { account: 'contributions', amount: 500n },
      { account: 'adjustments', amount: -500n },
    ]);
  });
});
