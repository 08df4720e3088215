import { describe, expect, it } from '@jest/globals';
import { demoCycleTerms, demoPledges } from '../../src/bin/demo-story.js';
import { ProgressBar, renderBar } from '../../src/bin/progress-bar.js';
import { isoWeekday, payoutDate } from '../../src/cycles/schedule.js';

describe('the demo progress bar', () => {
  it('renders the share done', () => {
    expect(renderBar(0, 10, 10)).toBe('[..........]   0%');
    expect(renderBar(5, 10, 10, 'week 1')).toBe('[#####.....]  50% week 1');
    expect(renderBar(12, 10, 10)).toBe('[##########] 100%');
    expect(renderBar(0, 0, 4)).toBe('[####] 100%');
  });

  it('redraws one line on a terminal', () => {
    const out: string[] = [];
    const bar = new ProgressBar({ isTTY: true, columns: 80, write: (s: string) => out.push(s) }, 4);
    bar.phase('signing up');
    bar.tick(2);
    bar.finish();
    expect(out.slice(0, -1).every((s) => s.startsWith('\r') && !s.includes('\n'))).toBe(true);
    expect(out.at(-2)).toContain('100% done');
    expect(out.at(-1)).toBe('\n');
  });

  it('prints one plain line per phase when the stream is not a terminal', () => {
    const out: string[] = [];
    const bar = new ProgressBar({ isTTY: false, write: (s: string) => out.push(s) }, 4);
    bar.phase('signing up');
    bar.tick();
    bar.tick();
    bar.phase('signing up');
    bar.phase('week 1');
    bar.finish();
    expect(out).toEqual(['[....................]   0% signing up\n', '[##########..........]  50% week 1\n', '[####################] 100% done\n']);
  });
});

describe('the demo story', () => {
  it('pledges 2000.00 a week from 100 donors, and covers the due with fewer', () => {
    const hundred = demoPledges(100);
    expect(hundred.slice(0, 5)).toEqual([1000, 1500, 2000, 2500, 3000]);
    expect(hundred.reduce((s, a) => s + a, 0)).toBe(200_000);
    for (const n of [1, 3, 8, 37]) {
      const amounts = demoPledges(n);
      expect(amounts).toHaveLength(n);
      expect(amounts.reduce((s, a) => s + a, 0)).toBeGreaterThanOrEqual(11 * 17_500);
      expect(amounts.every((a) => Number.isSafeInteger(a) && a > 0)).toBe(true);
    }
  });

  it('dates the cycle so the last week played was paid on the latest Friday up to today', () => {
    for (const today of ['2026-05-15', '2026-05-16', '2026-05-21']) {
      const terms = demoCycleTerms(today, 6);
      expect(isoWeekday(terms.startsOn)).toBe(1);
      expect(payoutDate(terms, 6) <= today).toBe(true);
      expect(isoWeekday(payoutDate(terms, 6))).toBe(5);
    }
    expect(payoutDate(demoCycleTerms('2026-05-15', 6), 6)).toBe('2026-05-15');
    expect(payoutDate(demoCycleTerms('2026-05-21', 6), 6)).toBe('2026-05-15');
    expect(payoutDate(demoCycleTerms('2026-05-21', 1), 1)).toBe('2026-05-15');
  });
});
