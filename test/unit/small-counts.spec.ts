import { describe, expect, it } from '@jest/globals';
import { reportCount, reportCounts, seesExactCounts, SMALL_COUNT } from '../../src/transparency/reports/small-counts.js';

describe('small-count suppression', () => {
  it('shows 0, 1 and 2 as "<3" to a viewer who does not get exact counts', () => {
    expect([0, 1, 2].map((n) => reportCount(n, false))).toEqual([SMALL_COUNT, SMALL_COUNT, SMALL_COUNT]);
    expect(SMALL_COUNT).toBe('<3');
  });

  it('shows 3 and more as they are', () => {
    expect([3, 4, 100].map((n) => reportCount(n, false))).toEqual([3, 4, 100]);
  });

  it('shows organizers every count exactly', () => {
    expect([0, 1, 2, 3].map((n) => reportCount(n, true))).toEqual([0, 1, 2, 3]);
  });

  it('gives exact counts to organizers only: treasurers, donors, members and anonymous readers are suppressed', () => {
    expect(seesExactCounts('organizer')).toBe(true);
    for (const role of ['treasurer', 'donor', 'member', null]) expect(seesExactCounts(role)).toBe(false);
  });

  it('suppresses each value of a record of counts', () => {
    expect(reportCounts({ employed: 1, moved: 0, other: 5 }, false)).toEqual({ employed: '<3', moved: '<3', other: 5 });
    expect(reportCounts({ employed: 1, moved: 0, other: 5 }, true)).toEqual({ employed: 1, moved: 0, other: 5 });
  });

  it('refuses what is not a count', () => {
    expect(() => reportCount(-1, false)).toThrow(RangeError);
    expect(() => reportCount(1.5, true)).toThrow(RangeError);
  });
});
