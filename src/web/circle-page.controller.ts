import { Controller, Get, Param, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/public.decorator.js';
import { CircleAccess } from '../circles/circle-access.service.js';
import { CircleFactsService } from '../circles/circle-facts.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { encodeCursor, PageQueryDto } from '../common/pagination.js';
import { CyclesService } from '../cycles/cycles.service.js';
import { ReceiptsService } from '../ledger/receipts.service.js';
import type { ReceiptPageResponse } from '../transparency/receipts/dto/receipt.response.js';
import { ReadLinksService } from '../transparency/read-links/read-links.service.js';
import { CheckpointsService } from '../transparency/receipts/checkpoints.service.js';
import { ReceiptFeedService } from '../transparency/receipts/receipt-feed.service.js';
import { ReportsService } from '../transparency/reports/reports.service.js';
import { OfficialHandlesService } from '../trust/official-handles.service.js';
import { PageErrorFilter } from './page-error.filter.js';
import { PageRenderer } from './page-renderer.js';
import { IsOptional, IsString } from 'class-validator';

/** The JSON routes' page when `limit` is absent: the verify script reads the chain 100 at a time. */
const JSON_PAGE_LIMIT = 100;

/** The JSON routes' query: the API's paging (limit 1–100, cursor) and the member's read link. */
class ReadLinkPageQuery extends PageQueryDto {
  @IsOptional()
  @IsString()
  read?: string;
}

/** Receipts per page of the circle's page. */
export const RECEIPTS_PER_PAGE = 20;

/**
 * A circle's public page (receipts public): where the circle receives money (its official
 * handles, src/trust/official-handles.service.ts), its current cycle with the report's figures
 * (small counts suppressed, as the API shows them to anyone), the receipts page by page, and
 * the "verify" button whose script (src/web/assets/verify.js) checks the whole chain and the
 * latest signed checkpoint in the browser. A circle whose receipts are not public is 404,
 * as one that does not exist — unless opened with a member's read link (?read=, issued by
 * POST /v1/circles/{circleId}/page-link), which shows it as the API shows it to that member.
 */
@ApiExcludeController()
@Public()
@UseFilters(PageErrorFilter)
@Controller('circle/:circleId')
export class CirclePageController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly facts: CircleFactsService,
    private readonly access: CircleAccess,
    private readonly cycles: CyclesService,
    private readonly reports: ReportsService,
    private readonly feed: ReceiptFeedService,
    private readonly receipts: ReceiptsService,
    private readonly checkpoints: CheckpointsService,
    private readonly readLinks: ReadLinksService,
    private readonly handles: OfficialHandlesService,
  ) {}

  @Get()
  async show(
    @Param('circleId', IdPipe) circleId: string,
    @Query('after') afterParam: unknown,
    @Query('read') read: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const userId = await this.reader(circleId, read);
    // The feed's access check comes first: nothing about a circle that is not public is read.
    const head = await this.firstAccessible(circleId, userId);
    const after = afterParam === undefined ? Math.max(0, head - RECEIPTS_PER_PAGE) : pageStart(afterParam);
    const page = JSON.parse((await this.feed.list(userId, circleId, RECEIPTS_PER_PAGE, after > 0 ? encodeCursor([after]) : undefined)).body.toString('utf8')) as ReceiptPageResponse;
    const name = (await this.facts.factsOf([circleId])).get(circleId)!.name;
    const cycleId = await this.cycles.currentOf(circleId);
    const report = cycleId ? await this.reports.cycleReport(userId, circleId, cycleId) : null;
    // Through a read link, the page's own JSON routes (below) serve the verify script; otherwise the public API.
    const readQuery = userId ? `?read=${encodeURIComponent(read as string)}` : '';
    const data = userId ? { receipts: `/circle/${circleId}/receipts.json${readQuery}`, checkpoints: `/circle/${circleId}/checkpoints.json${readQuery}` } : { receipts: `/v1/circles/${circleId}/receipts`, checkpoints: `/v1/circles/${circleId}/receipts/checkpoints` };
    const handles = await this.handles.list(userId, circleId);
    const totals = report ? report.weeks.reduce((sum, w) => ({ moneyIn: sum.moneyIn + w.moneyIn, moneyOut: sum.moneyOut + w.moneyOut }), { moneyIn: 0, moneyOut: 0 }) : null;
    return this.pages.send(req, reply, {
      view: 'circle',
      title: 'circle.title',
      titleValues: { name },
      data: {
        circleId,
        data,
        readParam: userId ? `&read=${encodeURIComponent(read as string)}` : '',
        report,
        totals,
        handles,
        receipts: page.items,
        earlier: after > 0 ? Math.max(0, after - RECEIPTS_PER_PAGE) : null,
        later: page.nextCursor ? after + RECEIPTS_PER_PAGE : null,
        script: 'verify.js',
        // The verify messages keep their values as {name} for the script to fill in.
        placeholders: Object.fromEntries(['receipts', 'seq', 'signedAt', 'keyId'].map((name) => [name, `{${name}}`])),
      },
    });
  }

  /** The receipts as the API's feed pages them, for the verify script on a page opened with a read link. */
  @Get('receipts.json')
  async receiptsJson(@Param('circleId', IdPipe) circleId: string, @Query() query: ReadLinkPageQuery, @Res() reply: FastifyReply): Promise<FastifyReply> {
    const userId = await this.reader(circleId, query.read, true);
    const { body } = await this.feed.list(userId, circleId, query.limit ?? JSON_PAGE_LIMIT, query.cursor);
    return reply.header('Cache-Control', 'no-store').type('application/json; charset=utf-8').send(body);
  }

  /** The signed checkpoints as the API pages them, for the same script. */
  @Get('checkpoints.json')
  async checkpointsJson(@Param('circleId', IdPipe) circleId: string, @Query() query: ReadLinkPageQuery, @Res() reply: FastifyReply): Promise<FastifyReply> {
    const userId = await this.reader(circleId, query.read, true);
    return reply.header('Cache-Control', 'no-store').send(await this.checkpoints.list(userId, circleId, query.limit ?? JSON_PAGE_LIMIT, query.cursor));
  }

  /** The member a read link (?read=) speaks for, or undefined (anyone) without one. */
  private async reader(circleId: string, read: unknown, required = false): Promise<string | undefined> {
    if (read === undefined && !required) return undefined;
    return this.readLinks.readerOf(circleId, read);
  }

  /** The chain's length, after the access check the feed makes (404 unless public or a member's read link). */
  private async firstAccessible(circleId: string, userId: string | undefined): Promise<number> {
    await this.access.requireReader(circleId, userId);
    return Number((await this.receipts.head(circleId)).seq);
  }
}

/** `?after=` is the seq the page starts after: a whole number. */
function pageStart(value: unknown): number {
  const after = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(after)) throw new DomainError('validation-failed', 'after is not a receipt number', { errors: [{ field: 'after', message: 'after is not a receipt number' }] });
  return after;
}
