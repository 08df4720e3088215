import { Controller, Get, HttpCode, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/public.decorator.js';
import { PayoutAcknowledgements } from '../payouts/payout-acknowledgements.service.js';
import { PageCsrfGuard } from './page-csrf.guard.js';
import { PageErrorFilter } from './page-error.filter.js';
import { PageRenderer } from './page-renderer.js';

/** Where a payout's one-time acknowledgement link opens in a browser (`/v1/payout-acknowledgements/{token}` in the API). */
export const ACKNOWLEDGEMENT_PAGE_PATH = '/ack';

/**
 * The recipient's acknowledgement page: what was sent and when, "the money arrived" (the
 * same one-time use as the API) or "it did not arrive" (the payout stays sent and the link
 * usable; the report goes into the payout's history and out as `payout.not_arrived`).
 */
@ApiExcludeController()
@Public()
@UseFilters(PageErrorFilter)
@Controller('ack/:token')
export class AcknowledgementPageController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly acknowledgements: PayoutAcknowledgements,
  ) {}

  @Get()
  async show(@Param('token') token: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    const payout = await this.acknowledgements.preview(token);
    return this.pages.send(req, reply, { view: 'ack', title: 'ack.title', data: { payout } });
  }

  @Post('arrived')
  @HttpCode(200)
  @UseGuards(PageCsrfGuard)
  async arrived(@Param('token') token: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    const payout = await this.acknowledgements.acknowledge(token);
    return this.pages.send(req, reply, { view: 'ack-done', title: 'ack.doneTitle', data: { payout } });
  }

  @Post('not-arrived')
  @HttpCode(200)
  @UseGuards(PageCsrfGuard)
  async notArrived(@Param('token') token: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    await this.acknowledgements.reportNotArrived(token);
    return this.pages.send(req, reply, { view: 'ack-not-arrived', title: 'ack.notArrivedTitle', data: { back: `${ACKNOWLEDGEMENT_PAGE_PATH}/${token}` } });
  }
}
