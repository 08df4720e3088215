import { Inject, Injectable } from '@nestjs/common';
import fastifyView from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fileURLToPath } from 'node:url';
import { translatorFor } from '../common/i18n/i18n.js';
import { directionOf, LANGUAGE_NAMES, LANGUAGES } from '../common/i18n/languages.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { csrfTokenFor } from './page-csrf.js';
import { pageFormat } from './page-format.js';
import { pageLanguage } from './page-language.js';

/**
 * The pages' Content-Security-Policy (docs/pages.md "Content-Security-Policy"): only this
 * server's stylesheet and script, no inline script or style, forms post only here, no
 * framing. Stricter than the API's (whose /docs needs inline script).
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The same page in another language: its query (a read link, a page of receipts) kept, `lang` replaced. */
function switchTo(path: string, query: string | undefined, language: string): string {
  const params = new URLSearchParams(query ?? '');
  params.delete('done');
  params.set('lang', language);
  return `${path}?${params.toString()}`;
}

const VIEWS = fileURLToPath(new URL('./views/', import.meta.url));

/**
 * Plugs the pages' template engine into Fastify (@fastify/view, `reply.viewAsync`): Eta over
 * src/web/views/, autoescaping every `<%= %>`, templates compiled once and cached.
 */
export async function registerPageViews(fastify: FastifyInstance): Promise<void> {
  const eta = new Eta({ views: VIEWS, cache: true, autoEscape: true, autoTrim: false });
  await fastify.register(fastifyView, { engine: { eta }, templates: VIEWS, production: true });
}

/** One rendered page: a view of src/web/views/, its status and what it shows. */
export interface PageOptions {
  view: string;
  status?: number;
  /** The `<title>` and `<h1>`: a catalogue key and its values. */
  title: string;
  titleValues?: Record<string, unknown>;
  data?: Record<string, unknown>;
  /** Extra response headers (an error page's Retry-After). */
  headers?: Record<string, string>;
}

/**
 * Renders the pages through Fastify's view plugin (Eta, autoescaped; registerPageViews) in
 * the request's language, with the headers
 * every page needs: its own CSP, no caching (links carry secrets), Content-Language.
 */
@Injectable()
export class PageRenderer {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async send(req: FastifyRequest, reply: FastifyReply, page: PageOptions): Promise<FastifyReply> {
    const lang = pageLanguage(req, reply);
    const t = translatorFor(lang);
    const [path, query] = req.url.split('?');
    const html = await reply.viewAsync(`${page.view}.eta`, {
      ...page.data,
      lang,
      dir: directionOf(lang),
      t,
      f: pageFormat(lang),
      title: t(page.title, page.titleValues),
      csrf: csrfTokenFor(req, reply),
      path,
      languages: LANGUAGES.map((code) => ({ code, name: LANGUAGE_NAMES[code], href: switchTo(path, query, code), current: code === lang })),
      operatorName: this.config.operatorName,
    });
    return reply
      .headers(page.headers ?? {})
      .status(page.status ?? 200)
      .header('Content-Security-Policy', PAGE_CSP)
      .header('Cache-Control', 'no-store')
      .header('Content-Language', lang)
      .header('Vary', 'Accept-Language, Cookie')
      .type('text/html; charset=utf-8')
      .send(html);
  }
}
