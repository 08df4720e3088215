/**
 * How payout handles, phone numbers and emails are normalized before the duplicate checks
 * digest them (docs/trust.md "Normalization"), and how official handles are compared. Pure
 * functions: the same person typed twice, in a different case or spacing, gives the same
 * string; anything that is not recognisably a handle, phone or email gives null (no digest).
 */

/** What a digest stands for: matches are only counted between digests of the same kind. */
export type IdentityKind = 'handle' | 'phone' | 'email';
export const IDENTITY_KINDS: readonly IdentityKind[] = ['handle', 'phone', 'email'];

/** Fewer digits than this is not a phone number (an extension, a PIN). */
export const PHONE_MIN_DIGITS = 7;
/** The digits compared: the last ten, which drops a country code such as +1 and a 00 or 0 prefix. */
export const PHONE_KEPT_DIGITS = 10;
const PHONE_MAX_DIGITS = 15;

// Zero-width and other invisible characters a pasted handle can carry.
const INVISIBLE = /[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]/g;

const fold = (value: string): string => value.normalize('NFKC').replace(INVISIBLE, '').toLowerCase();

/**
 * A payout or official handle: NFKC, lower case, no whitespace at all, no leading `$` or `@`
 * (Cash App's cashtag, Venmo's @name). "$Eastside Aid", " eastsideaid" and "@EASTSIDEAID" are
 * one handle; "eastsideaid2" or "eastside-aid" are not.
 */
export function normalizeHandle(value: string): string | null {
  const handle = fold(value).replace(/\s+/g, '').replace(/^[$@]+/, '');
  return handle.length > 0 ? handle : null;
}

/**
 * A phone number: made only of digits, spaces, dots, dashes, brackets and a leading +, with
 * 7 to 15 digits; compared by its last ten digits, so "+1 (555) 010-2000", "555.010.2000" and
 * "0015550102000" agree. Anything with letters is not a phone.
 */
export function normalizePhone(value: string): string | null {
  const text = fold(value).trim();
  if (!/^\+?[\d\s().-]+$/.test(text)) return null;
  const digits = text.replace(/\D/g, '');
  if (digits.length < PHONE_MIN_DIGITS || digits.length > PHONE_MAX_DIGITS) return null;
  return digits.slice(-PHONE_KEPT_DIGITS);
}

/** An email: trimmed and lower-cased, one @ with something on each side and a dot in the domain, no spaces. */
export function normalizeEmail(value: string): string | null {
  const email = fold(value).trim();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? email : null;
}

export interface IdentityValue {
  kind: IdentityKind;
  value: string;
}

/**
 * What the duplicate checks compare from a subject's vault fields: the payout handle as a
 * handle (and as a phone or email too when it is one: Zelle pays to either), and the contact
 * as a phone or an email. The note is never compared. No duplicates in the result.
 */
export function identityValues(fields: { contact: string | null; payoutHandle: string | null }): IdentityValue[] {
  const found: IdentityValue[] = [];
  const add = (kind: IdentityKind, value: string | null) => {
    if (value !== null && !found.some((f) => f.kind === kind && f.value === value)) found.push({ kind, value });
  };
  const addContact = (text: string) => {
    const email = normalizeEmail(text);
    add('email', email);
    if (email === null) add('phone', normalizePhone(text));
  };
  if (fields.payoutHandle !== null) {
    add('handle', normalizeHandle(fields.payoutHandle));
    addContact(fields.payoutHandle);
  }
  if (fields.contact !== null) addContact(fields.contact);
  return found;
}
