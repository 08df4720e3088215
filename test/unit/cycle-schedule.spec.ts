import { describe, expect, it } from '@jest/globals';
import {
  addDays,
  cycleSchedule,
  firstPayoutDate,
  isIsoDate,
  isoWeekday,
  localDate,
  payoutDate,
  startOfLocalDay,
  weekPaidOn,
  weeksDueBy,
} from '../../src/cycles/schedule.js';

// 2026-03-02 is a Monday.
const fifteenFridays = { startsOn: '2026-03-02', weeks: 15, payoutWeekday: 5 };

describe('cycle schedule calculator', () => {
  it('knows ISO weekdays, Monday = 1 … Sunday = 7', () => {
    expect(isoWeekday('2026-03-02')).toBe(1);
    expect(isoWeekday('2026-03-08')).toBe(7);
    expect(isoWeekday('1970-01-01')).toBe(4);
  });

  it('pays week 1 on the start date itself when it is the payout weekday', () => {
    expect(firstPayoutDate('2026-03-06', 5)).toBe('2026-03-06');
  });

  it('pays week 1 on the first payout weekday after the start date', () => {
    expect(firstPayoutDate('2026-03-07', 5)).toBe('2026-03-13');
    expect(firstPayoutDate('2026-03-02', 7)).toBe('2026-03-08');
  });

  it('numbers weeks from 1, seven calendar days apart', () => {
    const weeks = cycleSchedule(fifteenFridays);
    expect(weeks).toHaveLength(15);
    expect(weeks[0]).toEqual({ week: 1, payoutDate: '2026-03-06' });
    expect(weeks[1]).toEqual({ week: 2, payoutDate: '2026-03-13' });
    expect(weeks[14]).toEqual({ week: 15, payoutDate: '2026-06-12' });
    expect(weeks.every((w) => isoWeekday(w.payoutDate) === 5)).toBe(true);
  });

  it('keeps the payout weekday across a DST change (dates, not 168-hour steps)', () => {
    // US clocks spring forward on 2026-03-08: weeks 1 and 2 straddle it.
    expect(payoutDate(fifteenFridays, 1)).toBe('2026-03-06');
    expect(payoutDate(fifteenFridays, 2)).toBe('2026-03-13');
    const first = startOfLocalDay('2026-03-06', 'America/New_York');
    const second = startOfLocalDay('2026-03-13', 'America/New_York');
    expect(first.toISOString()).toBe('2026-03-06T05:00:00.000Z');
    expect(second.toISOString()).toBe('2026-03-13T04:00:00.000Z');
    expect(second.getTime() - first.getTime()).toBe(7 * 86_400_000 - 3_600_000);
  });

  it('crosses month, year and leap-day boundaries', () => {
    expect(addDays('2027-12-29', 7)).toBe('2028-01-05');
    expect(addDays('2028-02-26', 7)).toBe('2028-03-04');
    expect(payoutDate({ startsOn: '2028-02-22', weeks: 2, payoutWeekday: 2 }, 2)).toBe('2028-02-29');
  });

  it('refuses a week outside the cycle', () => {
    expect(() => payoutDate(fifteenFridays, 0)).toThrow(RangeError);
    expect(() => payoutDate(fifteenFridays, 16)).toThrow(RangeError);
  });

  it('finds the week paid on a date, and none on other dates', () => {
    expect(weekPaidOn(fifteenFridays, '2026-03-06')).toBe(1);
    expect(weekPaidOn(fifteenFridays, '2026-04-17')).toBe(7);
    expect(weekPaidOn(fifteenFridays, '2026-04-16')).toBeUndefined();
    expect(weekPaidOn(fifteenFridays, '2026-02-27')).toBeUndefined();
    expect(weekPaidOn(fifteenFridays, '2026-06-19')).toBeUndefined();
  });

  it('counts the weeks due by a date, capped at the cycle length', () => {
    expect(weeksDueBy(fifteenFridays, '2026-03-05')).toBe(0);
    expect(weeksDueBy(fifteenFridays, '2026-03-06')).toBe(1);
    expect(weeksDueBy(fifteenFridays, '2026-03-12')).toBe(1);
    expect(weeksDueBy(fifteenFridays, '2026-03-13')).toBe(2);
    expect(weeksDueBy(fifteenFridays, '2030-01-01')).toBe(15);
  });

  it('tells the local date of an instant in the circle time zone', () => {
    const instant = new Date('2026-03-06T03:30:00Z');
    expect(localDate(instant, 'UTC')).toBe('2026-03-06');
    expect(localDate(instant, 'America/New_York')).toBe('2026-03-05');
    expect(localDate(instant, 'Asia/Tokyo')).toBe('2026-03-06');
    expect(localDate(new Date('2026-03-06T15:30:00Z'), 'Pacific/Kiritimati')).toBe('2026-03-07');
  });

  it('tells the local date right around a DST change', () => {
    // 2026-03-08 02:00 EST jumps to 03:00 EDT (07:00Z); 2026-11-01 02:00 EDT falls back to 01:00 EST (06:00Z).
    expect(localDate(new Date('2026-03-08T04:59:00Z'), 'America/New_York')).toBe('2026-03-07');
    expect(localDate(new Date('2026-03-08T05:00:00Z'), 'America/New_York')).toBe('2026-03-08');
    expect(localDate(new Date('2026-11-02T04:59:00Z'), 'America/New_York')).toBe('2026-11-01');
    expect(localDate(new Date('2026-11-02T05:00:00Z'), 'America/New_York')).toBe('2026-11-02');
  });

  it('starts a local day at its first moment even when DST skips midnight', () => {
    // Asia/Beirut moves clocks forward at midnight on the last Sunday of March (2026-03-29).
    expect(startOfLocalDay('2026-03-29', 'Asia/Beirut').toISOString()).toBe('2026-03-28T22:00:00.000Z');
    expect(startOfLocalDay('2026-03-30', 'Asia/Beirut').toISOString()).toBe('2026-03-29T21:00:00.000Z');
    expect(startOfLocalDay('2026-03-06', 'Asia/Kathmandu').toISOString()).toBe('2026-03-05T18:15:00.000Z');
  });

  it('accepts only real calendar dates', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-1-01')).toBe(false);
    expect(isIsoDate('20260301')).toBe(false);
    expect(isIsoDate(20260301)).toBe(false);
  });
});
