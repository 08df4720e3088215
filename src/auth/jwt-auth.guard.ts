import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { DomainError } from '../common/errors/domain-error.js';
import { IS_PUBLIC } from './public.decorator.js';

/**
 * Registered as APP_GUARD: every route requires a valid access token unless marked
 * @Public(), so a new route is protected without anyone remembering to protect it.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    return (await super.canActivate(context)) as boolean;
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
  if (!user) {
    const missing = info instanceof Error && info.message === 'No auth token';
    throw new DomainError('unauthenticated', missing ? 'An access token is required.' : 'The access token is invalid, expired or revoked.', {
      headers: { 'WWW-Authenticate': missing ? 'Bearer' : 'Bearer error="invalid_token"' },
    });
  }
  return user;
}
