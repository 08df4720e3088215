import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { lastValueFrom, of, type Observable } from 'rxjs';
import type { AuthUser } from '../../auth/auth-user.js';
import { TransactionHost } from '../../database/transaction-host.js';
import { DomainError } from '../errors/domain-error.js';
import { IDEMPOTENCY_REPLAYED_HEADER, IDEMPOTENT_ONE_WRITE, requestFingerprint, requiredIdempotencyKey } from './idempotency-request.js';
import { IdempotencyStore, replayBody, runIdempotently, runInOneWrite } from './idempotency-store.js';

/**
 * Runs an @Idempotent() handler inside one transaction that also records its response
 * under (caller, Idempotency-Key): the effect and the key commit together or not at all.
 * A request that fails is not recorded, so retrying its key runs it again.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly tx: TransactionHost,
    private readonly reflector: Reflector,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const req = http.getRequest<FastifyRequest & { user?: AuthUser }>();
    const reply = http.getResponse<FastifyReply>();
    const principal = req.user?.id;
    if (!principal) throw new DomainError('unauthenticated', 'An access token is required.');
    // Set when the guard left the session check to this request (a handler tried in one write).
    const session = req.user?.deferredSessionCheck;
    let key: string;
    try {
      key = requiredIdempotencyKey(req.headers['idempotency-key']);
    } catch (error) {
      await session?.require(); // a session that is not live hears the guard's 401 first
      throw error;
    }
    const requestHash = requestFingerprint(req.method, req.originalUrl, req.body);

    if (this.reflector.get<boolean>(IDEMPOTENT_ONE_WRITE, context.getHandler())) {
      const handled = () => lastValueFrom(next.handle(), { defaultValue: undefined });
      try {
        const result: unknown = await runInOneWrite((work) => this.tx.run(work), new IdempotencyStore(this.tx), principal, key, requestHash, reply.statusCode, handled, session?.sendAhead);
        return of(result);
      } catch {
        // Rolled back (or committed, and then the ordinary path replays it): answered below.
      }
    }
    // The ordinary path checks a session left to it before anything else, as the guard would have.
    await session?.require();

    // The route's status is set before interceptors run, so a handler may record ahead with it
    // (recordTransferAhead); a replay renders the record inside the transaction that claimed it.
    const outcome = await this.tx.run(async () => {
      const run = await runIdempotently(
        new IdempotencyStore(this.tx),
        principal,
        key,
        requestHash,
        async () => {
          // handle() is called here so the handler runs in this transaction's async context.
          const result: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
          // Built only when it is written (not for a handler that recorded ahead).
          const record = () => {
            const location = reply.getHeader('location');
            return { status: reply.statusCode, body: result === undefined ? '' : JSON.stringify(result), location: typeof location === 'string' ? location : null };
          };
          return { result, record };
        },
        reply.statusCode,
      );
      return run.replayed ? { ...run, body: await replayBody(run.stored) } : run;
    });

    if (!outcome.replayed) return of(outcome.result);
    const { stored, body } = outcome;
    reply.status(stored.status).header(IDEMPOTENCY_REPLAYED_HEADER, 'true');
    if (stored.location) reply.header('Location', stored.location);
    return of(body === '' ? undefined : JSON.parse(body));
  }
}
