import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { moduleDatabaseProblem } from './database-problems.js';
import { databaseUnavailable, isDatabaseUnavailable } from './database-unavailable.js';
import { DomainError, type FieldError } from './domain-error.js';
import { PROBLEM_CATALOG, problemType, type ProblemCode } from './problem-catalog.js';
import { translatorFor } from '../i18n/i18n.js';
import { DEFAULT_LANGUAGE, negotiateLanguage, type Language } from '../i18n/languages.js';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  requestId?: string;
  [key: string]: unknown;
}

const STATUS_TO_CODE: Record<number, ProblemCode> = {
  400: 'validation-failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  405: 'not-found',
  409: 'conflict',
  412: 'precondition-failed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'constraint-violated',
  428: 'precondition-required',
  429: 'rate-limited',
  503: 'unavailable',
};

/** PostgreSQL error codes that are the client's doing, mapped to problems. SQL text never leaves. */
function fromDatabase(error: QueryFailedError): DomainError | undefined {
  const driver = error.driverError as { code?: string; constraint?: string } | undefined;
  const constraint = driver?.constraint ?? '';
  // A module's own codes first: it knows what its SQL means (database-problems.ts).
  const owned = driver?.code ? moduleDatabaseProblem(driver.code, constraint) : undefined;
  if (owned) return owned;
  switch (driver?.code) {
    case '23505':
      return new DomainError('conflict', 'A record with the same unique key already exists.');
    case '23503':
      return new DomainError('conflict', 'The request refers to a record that does not exist or is still in use.');
    case '23514':
      return new DomainError('constraint-violated', 'The request breaks a data rule.');
    case '23502':
    case '22001':
    case '22003':
    case '22007':
    case '22008':
    case '22P02':
      return new DomainError('validation-failed', 'A value is out of range or of the wrong form.');
    case '40001':
    case '40P01':
    case '55P03':
      return new DomainError('conflict', 'A concurrent change got in the way; retry the request.');
    default:
      // Every other guard raised by arvut's own triggers (SQLSTATE class AR): a data rule, never a 500.
      if (driver?.code?.startsWith('AR')) return new DomainError('constraint-violated', 'The request breaks a data rule.');
      return undefined;
  }
}

/**
 * Errors Fastify raises while reading a request body, by their `code` (Nest hands them on
 * as HttpExceptions with the Fastify error as `cause`). Their messages can quote the body,
 * which may hold personal data, so each gets fixed text.
 */
const BODY_ERRORS: Record<string, { code: ProblemCode; detail: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported-media-type', detail: 'Send the request body as application/json.' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload-too-large', detail: 'The request body exceeds the size limit.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'malformed-json', detail: 'The request body does not match its Content-Length.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'malformed-json', detail: 'The request body could not be parsed as JSON.' },
  FST_ERR_CTP_INVALID_TYPE: { code: 'unsupported-media-type', detail: 'Send the request body as application/json.' },
};

function fromHttpException(exception: HttpException): { code: ProblemCode; detail: string; errors?: FieldError[] } {
  const status = exception.getStatus();
  const response = exception.getResponse() as string | { message?: string | string[] };
  const message = typeof response === 'string' ? response : Array.isArray(response?.message) ? response.message.join('; ') : response?.message;
  const fastifyCode = (exception.cause as { code?: unknown } | undefined)?.code;
  if (typeof fastifyCode === 'string' && BODY_ERRORS[fastifyCode]) return BODY_ERRORS[fastifyCode];
  const code = STATUS_TO_CODE[status] ?? (status >= 500 ? 'internal-error' : 'validation-failed');
  if (code === 'payload-too-large') return { code, detail: 'The request body exceeds the size limit.' };
  if (code === 'unsupported-media-type') return { code, detail: 'Send the request body as application/json.' };
  if (code === 'not-found') return { code, detail: 'No such resource, or you do not have access to it.' };
  if (code === 'internal-error') return { code, detail: 'An unexpected error occurred.' };
  // Any other 4xx from the HTTP layer: its own message may quote the request, so only the title.
  if (exception.cause !== undefined) return { code, detail: PROBLEM_CATALOG[code].title };
  return { code, detail: message ?? PROBLEM_CATALOG[code].title };
}

/** Turns anything thrown into an RFC 9457 problem response. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const req = ctx.getRequest<FastifyRequest | undefined>();
    const language = negotiateLanguage(req?.headers?.['accept-language']);
    const { body, headers } = this.toProblem(exception, language);
    body.requestId = req?.id !== undefined ? String(req.id) : undefined;
    const err = exception as Error;
    if (body.status === 503) {
      this.logger.warn({ err: { type: err?.name, message: err?.message }, requestId: body.requestId }, 'answered 503: a dependency is unavailable');
    } else if (body.status >= 500) {
      // Log the error class and stack, never the request body (it may hold personal data).
      this.logger.error({ err: { type: err?.name, message: err?.message, stack: err?.stack }, requestId: body.requestId }, 'unhandled error');
    }
    if (reply.sent || reply.raw.headersSent) return;
    const vary = reply.getHeader('vary');
    reply.header('Content-Language', language).header('Vary', vary ? `${String(vary)}, Accept-Language` : 'Accept-Language');
    reply.headers(headers).status(body.status).type('application/problem+json').send(JSON.stringify(body));
  }

  /**
   * The problem document in `language` (docs/errors.md "Languages"): `type`, `status`,
   * `errors[]` and every extension member are the same in every language; in Arabic and
   * Hebrew the `title` and `detail` come from the catalogue, the detail naming the kind of
   * problem rather than repeating the English sentence of the place that raised it.
   */
  toProblem(exception: unknown, language: Language = DEFAULT_LANGUAGE): { body: ProblemBody; headers: Record<string, string> } {
    let error: DomainError;
    if (exception instanceof DomainError) {
      error = exception;
    } else if (isDatabaseUnavailable(exception)) {
      error = databaseUnavailable();
    } else if (exception instanceof QueryFailedError) {
      error = fromDatabase(exception) ?? new DomainError('internal-error', 'An unexpected error occurred.');
    } else if (exception instanceof HttpException) {
      const mapped = fromHttpException(exception);
      error = new DomainError(mapped.code, mapped.detail);
    } else {
      error = new DomainError('internal-error', 'An unexpected error occurred.');
    }
    const { status, title } = PROBLEM_CATALOG[error.code];
    const { errors, headers, ...extra } = error.extra;
    const body: ProblemBody = { type: problemType(error.code), title, status, detail: error.detail ?? title, ...extra };
    if (language !== DEFAULT_LANGUAGE) {
      const t = translatorFor(language);
      body.title = t(`problem.${error.code}.title`);
      body.detail = t(`problem.${error.code}.detail`);
    }
    if (errors) body.errors = errors;
    return { body, headers: headers ?? {} };
  }
}
