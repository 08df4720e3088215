import type { FastifyReply, FastifyRequest } from 'fastify';
import { isLanguage, negotiateLanguage, type Language } from '../common/i18n/languages.js';

/** The cookie that remembers a language chosen with ?lang= (docs/pages.md "Languages"). */
export const LANGUAGE_COOKIE = 'arvut_lang';

/**
 * The page's language: `?lang=` when it names one of ours (then remembered in a cookie for
 * the next pages), else the cookie, else Accept-Language, else English.
 */
export function pageLanguage(req: FastifyRequest, reply: FastifyReply): Language {
  const asked = (req.query as Record<string, unknown> | undefined)?.lang;
  if (isLanguage(asked)) {
    void reply.setCookie(LANGUAGE_COOKIE, asked, { path: '/', sameSite: 'lax', httpOnly: true, secure: req.protocol === 'https', maxAge: 365 * 86_400 });
    return asked;
  }
  const remembered = req.cookies?.[LANGUAGE_COOKIE];
  if (isLanguage(remembered)) return remembered;
  return negotiateLanguage(req.headers['accept-language']);
}
