import type { FastifyInstance } from 'fastify';
import { DomainError } from '../errors/domain-error.js';

/** No page form is longer: a payout handle, a contact, a note of 1,000 characters, a token. */
export const FORM_BODY_LIMIT = 16 * 1024;
/** No page form has more fields. */
const MAX_FIELDS = 20;

/**
 * HTML forms (`application/x-www-form-urlencoded`) are read only on the routes `accepts`
 * names — the pages' POSTs (src/web/) — and refused with 415 everywhere else, so the JSON
 * API still reads JSON alone (docs/architecture.md "The path of a request"). The fields land
 * in an object without a prototype, each the first value given for its name; a form over
 * FORM_BODY_LIMIT is 413, one with NUL characters or too many fields 400.
 */
export function registerFormBodies(fastify: FastifyInstance, accepts: (url: string) => boolean): void {
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT }, (req, body, done) => {
    if (!accepts(req.url)) return done(new DomainError('unsupported-media-type', 'Send the request body as application/json.'), undefined);
    const params = new URLSearchParams(body as string);
    const fields: Record<string, string> = Object.create(null) as Record<string, string>;
    let count = 0;
    for (const [name, value] of params) {
      if (++count > MAX_FIELDS) return done(new DomainError('validation-failed', `A form has at most ${MAX_FIELDS} fields.`), undefined);
      if (name.includes('\u0000') || value.includes('\u0000')) return done(new DomainError('validation-failed', 'Form fields may not contain NUL characters.'), undefined);
      if (!(name in fields)) fields[name] = value;
    }
    done(null, fields);
  });
}
