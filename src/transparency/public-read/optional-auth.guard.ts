import { Injectable, type ExecutionContext } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { authenticatedOrThrow } from '../../auth/jwt-auth.guard.js';

/**
 * For @Public() reads a member may also make: a request that carries an Authorization
 * header is authenticated exactly as the global guard would (a bad or expired token is
 * 401, never quietly treated as anonymous); one without passes with no user.
 */
@Injectable()
export class OptionalAuthGuard extends AuthGuard('jwt') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    if (req.headers.authorization === undefined) return true;
    return (await super.canActivate(context)) as boolean;
  }

  // The same single answer as JwtAuthGuard for every kind of bad token.
  override handleRequest<TUser>(err: unknown, user: TUser | false, info: unknown): TUser {
    return authenticatedOrThrow(err, user, info);
  }
}
