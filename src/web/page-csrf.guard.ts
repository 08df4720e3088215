import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors/domain-error.js';
import { CSRF_FIELD, csrfTokenValid } from './page-csrf.js';

/** A page form's POST must carry this browser's CSRF token (src/web/page-csrf.ts); otherwise 403. */
@Injectable()
export class PageCsrfGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const body = req.body as Record<string, unknown> | undefined;
    if (!csrfTokenValid(req, body?.[CSRF_FIELD])) throw new DomainError('forbidden', 'The form lacks a valid CSRF token.');
    return true;
  }
}
