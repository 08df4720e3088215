import type { CircleRole } from './circle-role.js';

/** What an access check returns: the caller's role and the circle facts most services need. */
export interface CircleContext {
  circleId: string;
  userId: string;
  role: CircleRole;
  currency: string;
  /** ISO 4217 minor-unit exponent: JPY 0, USD 2, KWD 3. */
  currencyExponent: number;
  timezone: string;
}
