// Pure calendar arithmetic for cycles (docs/architecture.md "Conventions"): no Nest, no database.
// Payout days are calendar dates in the circle's time zone, so weeks are counted in days,
// never in 168-hour steps: a DST change moves the instant a day starts, not the date.

/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

/** ISO 8601 weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface CycleTerms {
  /** The first day of the cycle; week 1 is paid on the first payout weekday on or after it. */
  startsOn: IsoDate;
  weeks: number;
  payoutWeekday: number;
}

export interface ScheduledWeek {
  week: number;
  payoutDate: IsoDate;
}

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD` (2026-02-30 is not one). */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1970 && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function toDayNumber(date: IsoDate): number {
  if (!isIsoDate(date)) throw new RangeError(`not a calendar date: ${date}`);
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

function fromDayNumber(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** ISO weekday of a calendar date (1 = Monday … 7 = Sunday). */
export function isoWeekday(date: IsoDate): IsoWeekday {
  // Day 0 (1970-01-01) was a Thursday.
  return ((((toDayNumber(date) + 3) % 7) + 7) % 7 + 1) as IsoWeekday;
}

/** Week 1's payout date: the first `payoutWeekday` on or after `startsOn`. */
export function firstPayoutDate(startsOn: IsoDate, payoutWeekday: number): IsoDate {
  if (!Number.isInteger(payoutWeekday) || payoutWeekday < 1 || payoutWeekday > 7) throw new RangeError(`payout weekday must be 1..7, got ${payoutWeekday}`);
  const shift = (payoutWeekday - isoWeekday(startsOn) + 7) % 7;
  return addDays(startsOn, shift);
}

/** The payout date of week `week` (1-based) of a cycle. */
export function payoutDate(terms: CycleTerms, week: number): IsoDate {
  if (!Number.isInteger(week) || week < 1 || week > terms.weeks) throw new RangeError(`week must be 1..${terms.weeks}, got ${week}`);
  return addDays(firstPayoutDate(terms.startsOn, terms.payoutWeekday), 7 * (week - 1));
}

/** Every week of the cycle with its payout date, in order. */
export function cycleSchedule(terms: CycleTerms): ScheduledWeek[] {
  const first = firstPayoutDate(terms.startsOn, terms.payoutWeekday);
  return Array.from({ length: terms.weeks }, (_, i) => ({ week: i + 1, payoutDate: addDays(first, 7 * i) }));
}

/** The last day of the cycle: its final payout date. */
export function lastPayoutDate(terms: CycleTerms): IsoDate {
  return payoutDate(terms, terms.weeks);
}

/** The week paid on `date`, or undefined when `date` is not one of the cycle's payout dates. */
export function weekPaidOn(terms: CycleTerms, date: IsoDate): number | undefined {
  const offset = toDayNumber(date) - toDayNumber(firstPayoutDate(terms.startsOn, terms.payoutWeekday));
  if (offset < 0 || offset % 7 !== 0) return undefined;
  const week = offset / 7 + 1;
  return week <= terms.weeks ? week : undefined;
}

/** How many weeks have their payout date on or before `today` (0 … weeks). */
export function weeksDueBy(terms: CycleTerms, today: IsoDate): number {
  const offset = toDayNumber(today) - toDayNumber(firstPayoutDate(terms.startsOn, terms.payoutWeekday));
  if (offset < 0) return 0;
  return Math.min(terms.weeks, Math.floor(offset / 7) + 1);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

function wallClock(instant: Date, timeZone: string): { date: IsoDate; ms: number } {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const ms = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return { date, ms };
}

/** The calendar date an instant falls on in `timeZone` (an IANA name such as America/New_York). */
export function localDate(instant: Date, timeZone: string): IsoDate {
  return wallClock(instant, timeZone).date;
}

/**
 * The instant `date` begins in `timeZone` (local midnight, or the first moment after it on
 * the rare days a DST jump skips midnight).
 */
export function startOfLocalDay(date: IsoDate, timeZone: string): Date {
  const midnightUtc = toDayNumber(date) * DAY_MS;
  // Offsets are at most ±14 h: guess with the offset at UTC midnight, then correct once
  // with the offset at the guess, which is right unless a transition lies in between.
  let guess = midnightUtc - (wallClock(new Date(midnightUtc), timeZone).ms - midnightUtc);
  guess = midnightUtc - (wallClock(new Date(guess), timeZone).ms - guess);
  // A guess that lands on the previous day (a transition at midnight) moves forward to the date.
  while (wallClock(new Date(guess), timeZone).date < date) guess += 15 * 60_000;
  while (wallClock(new Date(guess - 15 * 60_000), timeZone).date === date) guess -= 15 * 60_000;
  return new Date(guess);
}
