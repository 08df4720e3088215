// Minor units as a decimal string (pure): 17500 with exponent 2 is "175.00". Text built
// from the integer, never through a float (docs/design.md "Money").

/** `minor` minor units of a currency with `exponent` decimals (JPY 0, USD 2, KWD 3), as text. */
export function formatMinorUnits(minor: bigint, exponent: number): string {
  if (!Number.isInteger(exponent) || exponent < 0 || exponent > 4) throw new RangeError(`a currency exponent is 0–4, got ${exponent}`);
  const sign = minor < 0n ? '-' : '';
  const digits = (minor < 0n ? -minor : minor).toString();
  if (exponent === 0) return `${sign}${digits}`;
  const padded = digits.padStart(exponent + 1, '0');
  return `${sign}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}
