// Calendar dates in a circle's time zone (pure). The cycles module owns the calendar
// arithmetic; pledges reuse it and add only what they need on top.
import { addDays, isIsoDate, localDate, startOfLocalDay, type IsoDate } from '../cycles/schedule.js';

export { addDays, isIsoDate, localDate, startOfLocalDay, type IsoDate };

const DAY_MS = 86_400_000;

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
