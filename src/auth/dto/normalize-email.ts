import { Transform } from 'class-transformer';

/**
 * Emails are case-insensitive for sign-in: trim and lower-case before validation, so
 * "Ann@Example.org " and "ann@example.org" are one account. Non-strings pass through
 * unchanged for the type check to reject.
 */
export const NormalizeEmail = (): PropertyDecorator => Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value));
