import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { DomainError } from '../common/errors/domain-error.js';
import { IDEMPOTENT_ONE_WRITE } from '../common/idempotency/idempotency-request.js';
import { API_KEY_PREFIX, ApiKeyCheck } from './api-key-check.js';
import type { AuthUser } from './auth-user.js';
import { IS_PUBLIC } from './public.decorator.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Registered as APP_GUARD: every route requires a valid access token unless marked
 * @Public(), so a new route is protected without anyone remembering to protect it.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyCheck,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined>; params?: Record<string, string>; user?: AuthUser }>();
    const authorization = req.headers.authorization;
    if (typeof authorization === 'string' && authorization.startsWith(`Bearer ${API_KEY_PREFIX}`)) {
      req.user = await this.apiKeyUser(authorization.slice('Bearer '.length), req.params?.circleId);
      return true;
    }
    // A handler tried in one write checks the session as its write's first statement, which
    // aborts the write when the session is not live (AuthUser.deferredSessionCheck), instead of
    // in a round trip of its own here; the token itself is still verified here.
    if (this.reflector.get<boolean>(IDEMPOTENT_ONE_WRITE, context.getHandler())) sessionCheckDeferred.add(req);
    return (await super.canActivate(context)) as boolean;
  }

  /**
   * An API key opens the routes of one circle only (/v1/circles/{circleId}/…): never the
   * caller's own account (/v1/me), sign-in or invites, which it answers with 401.
   */
  private async apiKeyUser(key: string, circleId: string | undefined): Promise<AuthUser> {
    const user = circleId !== undefined && UUID.test(circleId) ? await this.apiKeys.verify(key, circleId) : null;
    return authenticatedOrThrow(null, user ?? false, new Error(circleId === undefined ? 'not a circle route' : 'bad key'));
  }

  override handleRequest<TUser>(err: unknown, user: TUser | false, info: unknown): TUser {
    return authenticatedOrThrow(err, user, info);
  }
}

/**
 * passport's verdict as the guards' answer: the user, or one `unauthenticated` problem for
 * every kind of bad token (which check failed is of use only to an attacker). passport
 * reports a failed check as `info`; `err` is a real fault (e.g. the database), rethrown.
 */
export function authenticatedOrThrow<TUser>(err: unknown, user: TUser | false, info: unknown): TUser {
  if (err) throw err;
  if (!user) throw unauthenticated(info instanceof Error && info.message === 'No auth token');
  return user;
}

/** The guards' 401: no token at all, or one that is invalid, expired or revoked. */
export function unauthenticated(missing = false): DomainError {
  return new DomainError('unauthenticated', missing ? 'An access token is required.' : 'The access token is invalid, expired or revoked.', {
    headers: { 'WWW-Authenticate': missing ? 'Bearer' : 'Bearer error="invalid_token"' },
  });
}

/** Requests whose session check the guard leaves to their transaction (see canActivate). */
const sessionCheckDeferred = new WeakSet<object>();

/** True when the guard left the session check of `req` to its transaction (JwtStrategy reads it). */
export function isSessionCheckDeferred(req: object): boolean {
  return sessionCheckDeferred.has(req);
}
