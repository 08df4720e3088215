// One i18next instance for pages and problem documents (docs/pages.md "Languages"): the
// catalogues are loaded once, synchronously, at import; `translatorFor` hands out a
// function bound to one language.
import i18next, { type TFunction } from 'i18next';
import { ar } from './catalogues/ar.js';
import { en } from './catalogues/en.js';
import { he } from './catalogues/he.js';
import { DEFAULT_LANGUAGE, type Language } from './languages.js';

export const CATALOGUES = { en, ar, he } as const;

const instance = i18next.createInstance();
void instance.init({
  initAsync: false,
  lng: DEFAULT_LANGUAGE,
  fallbackLng: DEFAULT_LANGUAGE,
  resources: { en: { translation: en }, ar: { translation: ar }, he: { translation: he } },
  // The templates escape every value they print; escaping here too would double it.
  interpolation: { escapeValue: false },
  returnNull: false,
});

export type Translate = (key: string, values?: Record<string, unknown>) => string;

export function translatorFor(language: Language): Translate {
  const t: TFunction = instance.getFixedT(language);
  return (key, values) => t(key, values ?? {}) as string;
}

/** Whether a key exists in a language's catalogue (not through the English fallback). */
export function hasKey(language: Language, key: string): boolean {
  return instance.exists(key, { lng: language, fallbackLng: false });
}
