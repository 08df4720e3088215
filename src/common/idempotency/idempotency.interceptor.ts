import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { lastValueFrom, of, type Observable } from 'rxjs';
import type { AuthUser } from '../../auth/auth-user.js';
import { TransactionHost } from '../../database/transaction-host.js';
import { DomainError } from '../errors/domain-error.js';
import { IDEMPOTENCY_REPLAYED_HEADER, parseIdempotencyKey, requestFingerprint } from './idempotency-request.js';
import { IdempotencyStore, type StoredResponse } from './idempotency-store.js';

const inFlight = (): DomainError =>
  new DomainError('idempotency-key-in-flight', 'A request with this Idempotency-Key is still running; retry when it has finished.', { headers: { 'Retry-After': '1' } });

type Outcome = { replayed: false; result: unknown } | { replayed: true; stored: StoredResponse };

/**
 * Runs an @Idempotent() handler inside one transaction that also records its response
 * under (caller, Idempotency-Key): the effect and the key commit together or not at all.
 * A request that fails is not recorded, so retrying its key runs it again.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly tx: TransactionHost) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const req = http.getRequest<FastifyRequest & { user?: AuthUser }>();
    const reply = http.getResponse<FastifyReply>();
    const key = parseIdempotencyKey(req.headers['idempotency-key']);
    if (key === undefined) throw new DomainError('idempotency-key-missing', 'Send an Idempotency-Key header (a fresh random value per operation, e.g. a UUID).');
    if (key === null) {
      const message = 'Idempotency-Key must be 1 to 255 printable ASCII characters';
      throw new DomainError('validation-failed', `${message}.`, { errors: [{ field: 'Idempotency-Key', message }] });
    }
    const principal = req.user?.id;
    if (!principal) throw new DomainError('unauthenticated', 'An access token is required.');
    const requestHash = requestFingerprint(req.method, req.originalUrl, req.body);

    const outcome = await this.tx.run(async (): Promise<Outcome> => {
      const store = new IdempotencyStore(this.tx);
      const { locked, stored } = await store.claim(principal, key);
      if (!locked) throw inFlight();
      if (stored) {
        if (stored.requestHash !== requestHash) {
          throw new DomainError('idempotency-key-reused', 'This Idempotency-Key was already used for a different request; use a new key for a new operation.');
        }
        return { replayed: true, stored };
      }
      // handle() is called here so the handler runs in this transaction's async context.
      const result: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
      const location = reply.getHeader('location');
      // The last statement, sent with COMMIT: the effect and the key commit together or not at all.
      const saved = await store.recordAndCommit(principal, key, {
        requestHash,
        status: reply.statusCode,
        body: result === undefined ? '' : JSON.stringify(result),
        location: typeof location === 'string' ? location : null,
      });
      // The first request with this key committed while this one started: PostgreSQL rolled this one back.
      if (!saved) throw inFlight();
      return { replayed: false, result };
    });

    if (!outcome.replayed) return of(outcome.result);
    const { stored } = outcome;
    reply.status(stored.status).header(IDEMPOTENCY_REPLAYED_HEADER, 'true');
    if (stored.location) reply.header('Location', stored.location);
    return of(stored.body === '' ? undefined : JSON.parse(stored.body));
  }
}
