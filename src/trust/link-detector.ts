import { LinkifyIt } from 'linkify-it';
import { createRequire } from 'node:module';

// The IANA top-level domains (the `tlds` package is JSON, which ESM imports only with an attribute).
const TLDS = createRequire(import.meta.url)('tlds') as string[];

const linkify = new LinkifyIt({ fuzzyLink: true, fuzzyEmail: true, fuzzyIP: true }).tlds(TLDS);

// The ways a link is disguised to slip past a filter: "evil[.]com", "evil (dot) com", "evil . com",
// "hxxps://". A space before a dot counts, a space after one only does not: "changed. Click"
// is a sentence, not the domain changed.click.
const DISGUISES: [RegExp, string][] = [
  [/\s*[[({<]\s*(?:\.|dot)\s*[\])}>]\s*/gi, '.'],
  [/\s+dot\s+/gi, '.'],
  [/\s+\.\s*/g, '.'],
  [/\bhxxp(s?)/gi, 'http$1'],
];

/**
 * True when `text` holds a URL, a bare domain on a real top-level domain (cash.app,
 * pay-pal.com), an email address or an IP address, also when full-width, spaced out or
 * written with [.] or (dot). Alerts refuse such text unless an organizer allows links
 * (docs/trust.md "Alerts"), so a forged alert cannot send members to a phishing page.
 */
export function containsLink(text: string): boolean {
  let plain = text.normalize('NFKC');
  if (linkify.test(plain)) return true;
  for (const [pattern, replacement] of DISGUISES) plain = plain.replace(pattern, replacement);
  return linkify.test(plain);
}
