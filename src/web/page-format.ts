// Numbers, money and dates as the page's language writes them (Intl), never by hand.
import { currencyExponent } from '../circles/currency.js';
import type { Language } from '../common/i18n/languages.js';
import { formatMinorUnits } from '../transparency/decimal-amount.js';

/** Arabic pages use Western digits as most Arabic-speaking readers of these circles do online; the locale still orders and separates them. */
const LOCALES: Record<Language, string> = { en: 'en', ar: 'ar-u-nu-latn', he: 'he' };

export interface PageFormat {
  /** `minor` minor units of `currency` (17500 USD → "$175.00"; JPY has no decimals, KWD three). */
  money(minor: number, currency: string): string;
  /** A calendar day `YYYY-MM-DD`, as the day itself (no time zone shift). */
  day(isoDate: string): string;
  /** A moment (ISO 8601), with its time, in UTC. */
  moment(iso: string): string;
  number(value: number): string;
  /** A ratio such as "1.0390" as a percentage. */
  percent(ratio: string): string;
}

export function pageFormat(language: Language): PageFormat {
  const locale = LOCALES[language];
  const dayFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  const momentFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
  const numberFormat = new Intl.NumberFormat(locale);
  const percentFormat = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  return {
    money(minor, currency) {
      const exponent = currencyExponent(currency) ?? 2;
      // The decimal text goes to Intl as a string, so no amount passes through a float.
      const decimal = formatMinorUnits(BigInt(minor), exponent) as unknown as number;
      return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: exponent, maximumFractionDigits: exponent }).format(decimal);
    },
    day: (isoDate) => dayFormat.format(new Date(`${isoDate}T00:00:00Z`)),
    moment: (iso) => momentFormat.format(new Date(iso)),
    number: (value) => numberFormat.format(value),
    percent: (ratio) => percentFormat.format(ratio as unknown as number),
  };
}
