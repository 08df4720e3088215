import { Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../../auth/auth-user.js';
import { CurrentUser } from '../../auth/current-user.decorator.js';
import { matchesIfNoneMatch } from '../../common/http/conditional.js';
import { IdPipe } from '../../common/http/id.pipe.js';
import { DEFAULT_PAGE_LIMIT, PageQueryDto } from '../../common/pagination.js';
import { OptionalUser } from '../public-read/optional-user.decorator.js';
import { PublicRead } from '../public-read/public-read.decorator.js';
import { CheckpointsService } from './checkpoints.service.js';
import { ReceiptCheckpointPageResponse, ReceiptCheckpointResponse } from './dto/receipt-checkpoint.response.js';
import { ReceiptPageResponse } from './dto/receipt.response.js';
import { ReceiptFeedService } from './receipt-feed.service.js';
import { MinRole } from '../../circles/min-role.decorator.js';

const PUBLIC_NOTE =
  'Any member; anyone when the circle has `receiptVisibility: "public"` (without a token otherwise 404, as for a circle that does not exist). Anonymous readers are rate-limited per address.';

@ApiTags('transparency')
@Controller('v1/circles/:circleId/receipts')
export class ReceiptsController {
  constructor(
    private readonly feed: ReceiptFeedService,
    private readonly checkpoints: CheckpointsService,
  ) {}

  @Get()
  @PublicRead()
  @ApiOperation({
    summary: "The circle's receipts in chain order, oldest first",
    description: `${PUBLIC_NOTE} Each receipt carries its hash and the previous one's, so the chain can be verified offline (docs/receipts.md, npm run verify-receipts).`,
  })
  @ApiResponse({ status: 200, type: ReceiptPageResponse })
  async listReceipts(
    @OptionalUser() user: AuthUser | undefined,
    @Param('circleId', IdPipe) circleId: string,
    @Query() page: PageQueryDto,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<Buffer | string> {
    // The page comes as the JSON of a ReceiptPageResponse, already encoded (complete pages are
    // cached as sent, with their ETag, so If-None-Match gets a 304 without hashing the page again).
    const { body, etag } = await this.feed.list(user?.id, circleId, page.limit ?? DEFAULT_PAGE_LIMIT, page.cursor);
    res.type('application/json; charset=utf-8');
    if (etag) res.header('ETag', etag);
    if (etag && matchesIfNoneMatch(ifNoneMatch, etag)) {
      res.status(304);
      return '';
    }
    return body;
  }

  @Get('checkpoints')
  @PublicRead()
  @ApiOperation({ summary: "Signed checkpoints of the circle's receipt chain, oldest first", description: PUBLIC_NOTE })
  @ApiResponse({ status: 200, type: ReceiptCheckpointPageResponse })
  listCheckpoints(@OptionalUser() user: AuthUser | undefined, @Param('circleId', IdPipe) circleId: string, @Query() page: PageQueryDto): Promise<ReceiptCheckpointPageResponse> {
    return this.checkpoints.list(user?.id, circleId, page.limit ?? DEFAULT_PAGE_LIMIT, page.cursor);
  }

  @MinRole('organizer')
  @Post('checkpoints')
  @ApiOperation({
    summary: "Sign the receipt chain's head now (organizer)",
    description: "Signs (circle, seq, hash, time) with the deployment's Ed25519 key. A job does the same hourly for every circle whose chain has grown. 409 invalid-state when the circle has no receipts yet.",
  })
  @ApiResponse({ status: 201, type: ReceiptCheckpointResponse })
  createCheckpoint(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string): Promise<ReceiptCheckpointResponse> {
    return this.checkpoints.create(user.id, circleId);
  }
}
