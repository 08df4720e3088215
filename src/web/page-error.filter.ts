import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemFilter } from '../common/errors/problem.filter.js';
import { errorPage } from './page-errors.js';
import { PageRenderer } from './page-renderer.js';

/**
 * On the pages' routes, whatever a guard, the body reader or a service refuses becomes a
 * localized HTML page with the problem's status (docs/pages.md "Errors"), never JSON.
 * Unexpected errors still go to the global ProblemFilter, which logs them.
 */
@Catch()
export class PageErrorFilter implements ExceptionFilter {
  private readonly fallback = new ProblemFilter();

  constructor(private readonly pages: PageRenderer) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    let page;
    try {
      page = errorPage(exception);
    } catch {
      this.fallback.catch(exception, host);
      return;
    }
    if (reply.sent) return;
    // A page that cannot be rendered either gets the plain problem document.
    this.pages.send(req, reply, page).catch(() => {
      if (!reply.sent) this.fallback.catch(exception, host);
    });
  }
}
