import currencyCodes from 'currency-codes';

// Precious metals, bond units, testing and "no currency" codes are not money a circle holds.
const NOT_CASH = new Set(['XAU', 'XAG', 'XPT', 'XPD', 'XDR', 'XBA', 'XBB', 'XBC', 'XBD', 'XSU', 'XUA', 'XTS', 'XXX', 'CHE', 'CHW', 'BOV', 'CLF', 'COU', 'MXV', 'USN', 'UYI', 'UYW']);

/** The ISO 4217 minor-unit exponent of a currency a circle may use, or undefined. */
export function currencyExponent(code: string): number | undefined {
  if (!/^[A-Z]{3}$/.test(code) || NOT_CASH.has(code)) return undefined;
  const entry = currencyCodes.code(code);
  return entry ? entry.digits : undefined;
}
