import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../errors/domain-error.js';

/** `application/json` and the structured `application/…+json` types (RFC 6839), with any parameters. */
const JSON_TYPE = /^application\/([\w.+-]+\+)?json$/i;

// A `\u` escape of NUL or of a UTF-16 surrogate without its partner: text PostgreSQL cannot
// store and no field of this API takes, refused before it reaches a validator or a query.
const UNSTORABLE_ESCAPE = /\\u0000|\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}/;

/** No request body of this API nests deeper; deeper ones are refused before anything recurses over them. */
export const MAX_JSON_DEPTH = 32;

const OPEN_BRACE = 0x7b, OPEN_BRACKET = 0x5b, CLOSE_BRACE = 0x7d, CLOSE_BRACKET = 0x5d, QUOTE = 0x22, BACKSLASH = 0x5c;

/** Whether JSON text nests objects and arrays deeper than `limit` (brackets inside strings do not count). */
export function nestsDeeperThan(json: Buffer, limit: number): boolean {
  if (json.length <= limit) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const byte = json[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/** The exact bytes of a JSON body, kept for the few routes that verify a signature over them (the Stripe webhook). */
export type RawBodyRequest = FastifyRequest & { rawBody?: Buffer };

/**
 * The API reads JSON bodies only. Fastify's own parsers are removed, so any other content
 * type is refused with 415 before a byte is read, and a JSON body over `bodyLimit` with
 * 413 while it streams in. Keys that could pollute prototypes (`__proto__`,
 * `constructor.prototype`) are refused rather than quietly dropped.
 */
export function registerJsonBodies(fastify: FastifyInstance, bodyLimit: number): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(JSON_TYPE, { parseAs: 'buffer', bodyLimit }, (req, body, done) => {
    (req as RawBodyRequest).rawBody = body as Buffer;
    // An empty body labelled JSON (some clients send the header on every POST) is no body.
    if ((body as Buffer).length === 0) return done(null, undefined);
    if (nestsDeeperThan(body as Buffer, MAX_JSON_DEPTH)) {
      return done(new DomainError('validation-failed', `The body nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels.`), undefined);
    }
    if ((body as Buffer).includes('\\u') && UNSTORABLE_ESCAPE.test((body as Buffer).toString('utf8'))) {
      return done(new DomainError('validation-failed', 'Text in the body may not contain NUL characters or unpaired UTF-16 surrogates.'), undefined);
    }
    // Fastify's JSON parser (secure-json-parse) takes the bytes as they are; its type says string.
    parse(req, body as unknown as string, (error, value) => {
      if (!error) return done(null, value);
      // The parser's message can quote the body, which may hold personal data: fixed text only.
      const poisoned = /prototype/i.test(error.message);
      done(
        poisoned
          ? new DomainError('validation-failed', 'The body may not contain __proto__ or constructor.prototype keys.')
          : new DomainError('malformed-json', 'The request body could not be parsed as JSON.'),
        undefined,
      );
    });
  });
}
