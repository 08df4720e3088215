// Coverage arithmetic (pure: no Nest, no database; docs/architecture.md "Conventions"): money as bigint minor units in,
// exact decimal strings and whole weeks out — never a float for money.

export interface CoverageWeekInput {
  week: number;
  payoutDate: string;
  /** Weekly amounts of the pledges standing at the week's end. */
  pledged: bigint;
  /** What the week owes its recipients. */
  due: bigint;
  /** Net contributions received during the week (the 7 days ending on its payout date). */
  received: bigint;
  /** Payouts of the week sent (or acknowledged). */
  paidOut: bigint;
  /** Pool balance at the end of the payout day; null for a week not over yet. */
  poolAtWeekEnd: bigint | null;
}

export interface CoverageWeek extends CoverageWeekInput {
  /** pledged ÷ due as a decimal string with 4 places; null when nothing is due. */
  coverageRatio: string | null;
  /** Whole weeks of this week's due the pool held at the week's end; null when unknown or nothing due. */
  weeksFundedAhead: number | null;
}

export interface CoverageInput {
  weeks: CoverageWeekInput[];
  poolNow: bigint;
  /** Grants approved and not yet paid: promised out of the pool, so the cycle cannot count on it. */
  reservedNow: bigint;
  /** Pledges standing now. */
  pledgedNow: bigint;
  /** The due of the next payout week not yet past; 0 when the cycle has ended. */
  dueNow: bigint;
}

export interface Coverage {
  weeks: CoverageWeek[];
  poolNow: bigint;
  reservedNow: bigint;
  /** poolNow − reservedNow: what the pool can still promise (negative when payouts drew it below the reservations). */
  availableNow: bigint;
  pledgedNow: bigint;
  dueNow: bigint;
  coverageRatioNow: string | null;
  weeksFundedAheadNow: number | null;
}

/** numerator ÷ denominator rounded half-up to `places` decimals, as text ("1.2500"); null for ÷ 0. */
export function decimalRatio(numerator: bigint, denominator: bigint, places = 4): string | null {
  if (denominator <= 0n) return null;
  if (numerator < 0n) throw new RangeError('a coverage ratio has a non-negative numerator');
  const scale = 10n ** BigInt(places);
  const scaled = (numerator * scale * 2n + denominator) / (denominator * 2n);
  const whole = scaled / scale;
  const fraction = (scaled % scale).toString().padStart(places, '0');
  return places === 0 ? whole.toString() : `${whole}.${fraction}`;
}

/** How many whole weeks of `due` a `pool` pays for; null when nothing is due. */
export function weeksFunded(pool: bigint, due: bigint): number | null {
  if (due <= 0n) return null;
  if (pool <= 0n) return 0;
  const weeks = pool / due;
  return weeks > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(weeks);
}

export function computeCoverage(input: CoverageInput): Coverage {
  return {
    weeks: input.weeks.map((w) => ({
      ...w,
      coverageRatio: decimalRatio(w.pledged, w.due),
      weeksFundedAhead: w.poolAtWeekEnd === null ? null : weeksFunded(w.poolAtWeekEnd, w.due),
    })),
    poolNow: input.poolNow,
    reservedNow: input.reservedNow,
    availableNow: input.poolNow - input.reservedNow,
    pledgedNow: input.pledgedNow,
    dueNow: input.dueNow,
    coverageRatioNow: decimalRatio(input.pledgedNow, input.dueNow),
    // The pool is promised once (docs/grants.md): weeks are counted on what approved grants leave of it.
    weeksFundedAheadNow: weeksFunded(input.poolNow - input.reservedNow, input.dueNow),
  };
}

/** The due of the first week whose payout date is today or later; 0 when every week is past. */
export function currentDue(weeks: readonly { payoutDate: string; due: bigint }[], today: string): bigint {
  return weeks.find((w) => w.payoutDate >= today)?.due ?? 0n;
}
