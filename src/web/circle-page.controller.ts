import { Controller, Get, Param, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/public.decorator.js';
import { CircleFactsService } from '../circles/circle-facts.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { encodeCursor } from '../common/pagination.js';
import { CyclesService } from '../cycles/cycles.service.js';
import { ReceiptsService } from '../ledger/receipts.service.js';
import type { ReceiptPageResponse } from '../transparency/receipts/dto/receipt.response.js';
import { ReceiptFeedService } from '../transparency/receipts/receipt-feed.service.js';
import { ReportsService } from '../transparency/reports/reports.service.js';
import { PageErrorFilter } from './page-error.filter.js';
import { PageRenderer } from './page-renderer.js';

/** Receipts per page of the circle's page. */
export const RECEIPTS_PER_PAGE = 20;

/**
 * A circle's public page (receipts public): its current cycle with the report's figures
 * (small counts suppressed, as the API shows them to anyone), the receipts page by page, and
 * the "verify" button whose script (src/web/assets/verify.js) checks the whole chain and the
 * latest signed checkpoint in the browser. A circle whose receipts are not public is 404,
 * as one that does not exist.
 */
@ApiExcludeController()
@Public()
@UseFilters(PageErrorFilter)
@Controller('circle/:circleId')
export class CirclePageController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly facts: CircleFactsService,
    private readonly cycles: CyclesService,
    private readonly reports: ReportsService,
    private readonly feed: ReceiptFeedService,
    private readonly receipts: ReceiptsService,
  ) {}

  @Get()
  async show(@Param('circleId', IdPipe) circleId: string, @Query('after') afterParam: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    // The feed's access check comes first: nothing about a circle that is not public is read.
    const head = await this.firstAccessible(circleId);
    const after = afterParam === undefined ? Math.max(0, head - RECEIPTS_PER_PAGE) : pageStart(afterParam);
    const page = JSON.parse((await this.feed.list(undefined, circleId, RECEIPTS_PER_PAGE, after > 0 ? encodeCursor([after]) : undefined)).json) as ReceiptPageResponse;
    const name = (await this.facts.factsOf([circleId])).get(circleId)!.name;
    const cycleId = await this.cycles.currentOf(circleId);
    const report = cycleId ? await this.reports.cycleReport(undefined, circleId, cycleId) : null;
    const totals = report ? report.weeks.reduce((sum, w) => ({ moneyIn: sum.moneyIn + w.moneyIn, moneyOut: sum.moneyOut + w.moneyOut }), { moneyIn: 0, moneyOut: 0 }) : null;
    return this.pages.send(req, reply, {
      view: 'circle',
      title: 'circle.title',
      titleValues: { name },
      data: {
        circleId,
        report,
        totals,
        receipts: page.items,
        earlier: after > 0 ? Math.max(0, after - RECEIPTS_PER_PAGE) : null,
        later: page.nextCursor ? after + RECEIPTS_PER_PAGE : null,
        script: 'verify.js',
        // The verify messages keep their values as {name} for the script to fill in.
        placeholders: Object.fromEntries(['receipts', 'seq', 'signedAt', 'keyId'].map((name) => [name, `{${name}}`])),
      },
    });
  }

  /** The chain's length, after the same access check the public feed makes (404 unless public). */
  private async firstAccessible(circleId: string): Promise<number> {
    await this.feed.list(undefined, circleId, 1);
    return Number((await this.receipts.head(circleId)).seq);
  }
}

/** `?after=` is the seq the page starts after: a whole number. */
function pageStart(value: unknown): number {
  const after = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(after)) throw new DomainError('validation-failed', 'after is not a receipt number', { errors: [{ field: 'after', message: 'after is not a receipt number' }] });
  return after;
}
