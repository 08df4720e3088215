import { localDate } from '../cycles/schedule.js';

/** The first day (YYYY-MM-DD) of the calendar month `at` falls in, in the circle's time zone: the month a grant's approval counts against. */
export function budgetMonthOf(at: Date, timeZone: string): string {
  return `${localDate(at, timeZone).slice(0, 7)}-01`;
}
