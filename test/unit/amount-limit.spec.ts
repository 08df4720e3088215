// A circle's single-amount limit (docs/ledger.md, "Amount limits"): its setting, else ten
// weeks of its active cycle, else the fixed default; never above 2^53 − 1.
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_SINGLE_AMOUNT_LIMIT, LARGEST_AMOUNT, singleAmountLimit } from '../../src/ledger/amount-limit.js';

describe('singleAmountLimit', () => {
  it('is the fixed default without a setting or an active cycle', () => {
    expect(singleAmountLimit(null, null)).toBe(DEFAULT_SINGLE_AMOUNT_LIMIT);
    expect(DEFAULT_SINGLE_AMOUNT_LIMIT).toBe(1_000_000n);
  });

  it('is ten weeks of the active cycle: weekly amount × slots × 10', () => {
    expect(singleAmountLimit(null, { amount: 17_500n, slots: 11 })).toBe(1_925_000n);
  });

  it("is the circle's own setting when there is one, whatever the cycle", () => {
    expect(singleAmountLimit(5_000n, { amount: 17_500n, slots: 11 })).toBe(5_000n);
    expect(singleAmountLimit(5_000n, null)).toBe(5_000n);
  });

  it('never exceeds the largest amount the books hold', () => {
    expect(singleAmountLimit(null, { amount: LARGEST_AMOUNT, slots: 1000 })).toBe(LARGEST_AMOUNT);
    expect(LARGEST_AMOUNT).toBe(9_007_199_254_740_991n);
  });
});
