// The message catalogues (src/common/i18n/catalogues/): every key in all three languages,
// with the same {{values}}; the problem titles in English are the catalogue of problems';
// Accept-Language picks the best of our languages.
import { describe, expect, it } from '@jest/globals';
import { PROBLEM_CATALOG } from '../../src/common/errors/problem-catalog.js';
import { CATALOGUES, hasKey } from '../../src/common/i18n/i18n.js';
import { directionOf, LANGUAGES, negotiateLanguage } from '../../src/common/i18n/languages.js';

/** Every leaf of a catalogue as [dotted key, text]. */
function leaves(node: unknown, prefix = ''): [string, string][] {
  if (typeof node === 'string') return [[prefix, node]];
  return Object.entries(node as Record<string, unknown>).flatMap(([key, value]) => leaves(value, prefix ? `${prefix}.${key}` : key));
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
  const english = leaves(CATALOGUES.en);

  it.each(LANGUAGES)('%s has every key of every other catalogue, non-empty, with the same values to fill in', (language) => {
    const own = new Map(leaves(CATALOGUES[language]));
    for (const other of LANGUAGES) {
      for (const [key] of leaves(CATALOGUES[other])) expect([key, own.has(key)]).toEqual([key, true]);
    }
    for (const [key, text] of english) {
      expect([key, hasKey(language, key)]).toEqual([key, true]);
      expect([key, own.get(key)!.trim().length > 0]).toEqual([key, true]);
      expect([key, placeholders(own.get(key)!)]).toEqual([key, placeholders(text)]);
    }
  });

  it('has a title and a detail for every problem in every language, the English title being the problem catalogue\'s', () => {
    for (const [code, { title }] of Object.entries(PROBLEM_CATALOG)) {
      expect((CATALOGUES.en.problem as Record<string, { title: string }>)[code]?.title).toBe(title);
      for (const language of LANGUAGES) {
        expect([code, hasKey(language, `problem.${code}.title`), hasKey(language, `problem.${code}.detail`)]).toEqual([code, true, true]);
      }
    }
  });

  it('writes Arabic and Hebrew in their own scripts', () => {
    expect(leaves(CATALOGUES.ar).filter(([, text]) => /[\u0600-\u06ff]/.test(text)).length).toBeGreaterThan(english.length * 0.9);
    expect(leaves(CATALOGUES.he).filter(([, text]) => /[\u0590-\u05ff]/.test(text)).length).toBeGreaterThan(english.length * 0.9);
  });
});

describe('negotiateLanguage', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['ar', 'ar'],
    ['ar-EG,ar;q=0.9,en;q=0.8', 'ar'],
    ['he-IL', 'he'],
    ['iw', 'he'],
    ['fr-FR, he;q=0.5, ar;q=0.7', 'ar'],
    ['de, fr;q=0.5', 'en'],
    ['en;q=0.1, he', 'he'],
    ['ar;q=0, he;q=0.2', 'he'],
    ['*', 'en'],
  ])('%s → %s', (header, expected) => {
    expect(negotiateLanguage(header)).toBe(expected);
  });

  it('writes Arabic and Hebrew right to left', () => {
    expect(LANGUAGES.map(directionOf)).toEqual(['ltr', 'rtl', 'rtl']);
  });
});
