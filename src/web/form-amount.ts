// An amount typed into a form ("400", "400.50", "٤٠٠٫٥٠") as integer minor units (pure).
// Never through a float (docs/design.md "Money").

/** Arabic-Indic (U+0660…) and Eastern Arabic-Indic (U+06F0…) digits, read as 0–9. */
const DIGIT_BLOCKS = [0x0660, 0x06f0];

function westernDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => {
    const code = d.charCodeAt(0);
    const block = DIGIT_BLOCKS.find((start) => code >= start && code <= start + 9)!;
    return String(code - block);
  });
}

/**
 * Minor units of `text` in a currency with `exponent` decimals, or undefined when it is not a
 * plain amount: digits, then optionally a decimal point (".", "," or the Arabic "٫") and at most
 * `exponent` digits. Thousands separators are not accepted: "1,000" would be ambiguous.
 */
export function parseFormAmount(text: string, exponent: number): number | undefined {
  const normalized = westernDigits(text.trim()).replace('\u066b', '.');
  const match = /^(\d{1,15})(?:[.,](\d*))?$/.exec(normalized);
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) return undefined;
  const minor = BigInt(match[1]) * 10n ** BigInt(exponent) + BigInt(fraction.padEnd(exponent, '0') || '0');
  return minor <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(minor) : undefined;
}

/** An example amount for the hint, in the currency's own precision: "400.00", "400", "400.000". */
export function exampleAmount(exponent: number): string {
  return exponent === 0 ? '400' : `400.${'0'.repeat(exponent)}`;
}
