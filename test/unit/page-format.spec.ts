// Money and dates on the pages (src/web/page-format.ts) and amounts typed into the intake form
// (src/web/form-amount.ts): minor units with the currency's exponent, never through a float.
import { describe, expect, it } from '@jest/globals';
import { exampleAmount, parseFormAmount } from '../../src/web/form-amount.js';
import { pageFormat } from '../../src/web/page-format.js';

describe('pageFormat', () => {
  it('writes minor units with each currency\'s exponent', () => {
    const en = pageFormat('en');
    expect(en.money(17500, 'USD')).toBe('$175.00');
    expect(en.money(1750, 'JPY')).toBe('¥1,750');
    expect(en.money(17500, 'KWD').replace(/\s/g, ' ')).toBe('KWD 17.500');
    // Beyond what a float holds exactly: the digits are kept.
    expect(en.money(9007199254740991, 'USD')).toBe('$90,071,992,547,409.91');
  });

  it('writes Arabic and Hebrew amounts and dates in their own words and order', () => {
    const ar = pageFormat('ar');
    const he = pageFormat('he');
    expect(ar.money(17500, 'USD')).toContain('175.00');
    expect(ar.day('2026-03-06')).toContain('مارس');
    expect(he.money(17500, 'USD')).toContain('175.00');
    expect(he.day('2026-03-06')).toContain('במרץ');
    expect(pageFormat('en').day('2026-03-06')).toBe('March 6, 2026');
  });
});

describe('parseFormAmount', () => {
  it.each([
    ['400', 2, 40000],
    ['400.5', 2, 40050],
    ['400,50', 2, 40050],
    ['٤٠٠٫٥٠', 2, 40050],
    ['۴۰۰', 2, 40000],
    ['1750', 0, 1750],
    ['17.5', 3, 17500],
    [' 12 ', 2, 1200],
  ])('%s with exponent %d → %d', (text, exponent, minor) => {
    expect(parseFormAmount(text, exponent)).toBe(minor);
  });

  it.each([['1,000.00'], ['12.345'], ['-5'], ['1e3'], ['abc'], [''], ['0x10'], ['99999999999999999']])('refuses %s', (text) => {
    expect(parseFormAmount(text, 2)).toBeUndefined();
  });

  it('refuses decimals a currency does not have', () => {
    expect(parseFormAmount('1750.5', 0)).toBeUndefined();
    expect(exampleAmount(0)).toBe('400');
    expect(exampleAmount(3)).toBe('400.000');
  });
});
