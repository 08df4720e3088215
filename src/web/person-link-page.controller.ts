import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/public.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { SELF_EXIT_REASONS, SelfExitDto, UpdateOwnPrivateDto } from '../requests/dto/person-link.dto.js';
import type { PersonViewResponse } from '../requests/dto/person-view.response.js';
import { PersonLinks } from '../requests/person-links.service.js';
import { PageCsrfGuard } from './page-csrf.guard.js';
import { PageErrorFilter } from './page-error.filter.js';
import { formAs } from './page-form.js';
import { PageRenderer } from './page-renderer.js';

/** Where a person's status link opens in a browser (`/v1/person-links/{token}` in the API). */
export const PERSON_LINK_PAGE_PATH = '/link';

/** The notices a page shows after a form succeeded (?done=…); anything else shows none. */
const DONE = ['withdrawn', 'exited', 'acknowledged', 'handle', 'submitted'] as const;

/** States in which the person may no longer replace their details (as PersonLinks.updatePrivate refuses them). */
const CLOSED_REQUEST = new Set(['declined', 'withdrawn', 'cancelled', 'acknowledged', 'returned']);

/**
 * A person's own page behind their status link: their request and/or place on the roster,
 * payouts to confirm, and the forms to withdraw, leave the roster, or replace the payout
 * handle. Each form posts here with a CSRF token, then redirects back (303) with a notice.
 */
@ApiExcludeController()
@Public()
@UseFilters(PageErrorFilter)
@Controller('link/:token')
export class PersonLinkPageController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly links: PersonLinks,
  ) {}

  @Get()
  async show(@Param('token') token: string, @Query('done') done: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    const view = await this.links.view(token);
    return this.pages.send(req, reply, {
      view: 'link',
      title: 'link.title',
      data: { view, done: DONE.find((d) => d === done) ?? null, exitReasons: SELF_EXIT_REASONS, canUpdateHandle: canUpdateHandle(view) },
    });
  }

  @Post('withdraw')
  @UseGuards(PageCsrfGuard)
  async withdraw(@Param('token') token: string, @Res() reply: FastifyReply): Promise<FastifyReply> {
    await this.links.withdraw(token);
    return back(reply, token, 'withdrawn');
  }

  @Post('acknowledge')
  @UseGuards(PageCsrfGuard)
  async acknowledgeGrant(@Param('token') token: string, @Res() reply: FastifyReply): Promise<FastifyReply> {
    await this.links.acknowledgeGrant(token);
    return back(reply, token, 'acknowledged');
  }

  @Post('payouts/:payoutId/acknowledge')
  @UseGuards(PageCsrfGuard)
  async acknowledgePayout(@Param('token') token: string, @Param('payoutId', IdPipe) payoutId: string, @Res() reply: FastifyReply): Promise<FastifyReply> {
    await this.links.acknowledgePayout(token, payoutId);
    return back(reply, token, 'acknowledged');
  }

  @Post('exit')
  @UseGuards(PageCsrfGuard)
  async exit(@Param('token') token: string, @Body() body: unknown, @Res() reply: FastifyReply): Promise<FastifyReply> {
    await this.links.exit(token, await formAs(SelfExitDto, body, ['reason']));
    return back(reply, token, 'exited');
  }

  @Post('handle')
  @UseGuards(PageCsrfGuard)
  async updateHandle(@Param('token') token: string, @Body() body: unknown, @Res() reply: FastifyReply): Promise<FastifyReply> {
    await this.links.updatePrivate(token, await formAs(UpdateOwnPrivateDto, body, ['payoutHandle']));
    return back(reply, token, 'handle');
  }
}

function canUpdateHandle(view: PersonViewResponse): boolean {
  if (view.roster) return view.roster.status !== 'exited';
  return view.request !== null && !CLOSED_REQUEST.has(view.request.status);
}

/** Post/redirect/get: the page again, with what was done, so a reload does not post twice. */
function back(reply: FastifyReply, token: string, done: (typeof DONE)[number]): FastifyReply {
  return reply.redirect(`${PERSON_LINK_PAGE_PATH}/${encodeURIComponent(token)}?done=${done}`, 303);
}
