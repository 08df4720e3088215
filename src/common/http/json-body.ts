import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../errors/domain-error.js';

/** `application/json` and the structured `application/…+json` types (RFC 6839), with any parameters. */
const JSON_TYPE = /^application\/([\w.+-]+\+)?json$/i;

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
