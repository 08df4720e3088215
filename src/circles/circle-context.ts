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

/**
 * What a read check returns for a view that may be public (reports, receipts): `role` is
 * null for a reader who is not a member — possible only when the circle's receipts are public.
 */
export interface CircleReaderContext extends Omit<CircleContext, 'userId' | 'role'> {
  userId: string | null;
  role: CircleRole | null;
}
