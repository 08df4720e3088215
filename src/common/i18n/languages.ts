// The languages pages and problem documents speak, and how one is chosen for a request
// (docs/pages.md "Languages").

export const LANGUAGES = ['en', 'ar', 'he'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';

/** Written right to left: the page gets dir="rtl". */
const RIGHT_TO_LEFT = new Set<Language>(['ar', 'he']);

/** Each language named in itself, for the switcher on every page. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', ar: 'العربية', he: 'עברית' };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function directionOf(language: Language): 'rtl' | 'ltr' {
  return RIGHT_TO_LEFT.has(language) ? 'rtl' : 'ltr';
}

/**
 * The best of our languages for an Accept-Language header (RFC 9110 §12.5.4): ranges by
 * weight, `ar-EG` matching `ar`, `iw` (the old code) matching Hebrew; English when none fits.
 */
export function negotiateLanguage(header: string | undefined): Language {
  if (!header) return DEFAULT_LANGUAGE;
  const ranges = header
    .slice(0, 512)
    .split(',')
    .map((part, index) => {
      const [range, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { range: range.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.q > 0 && r.range.length > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { range } of ranges) {
    const primary = range.split('-')[0];
    const language = primary === 'iw' ? 'he' : primary;
    if (isLanguage(language)) return language;
  }
  return DEFAULT_LANGUAGE;
}
