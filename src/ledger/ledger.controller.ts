import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { Idempotent } from '../common/idempotency/idempotent.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { DEFAULT_PAGE_LIMIT, PageQueryDto } from '../common/pagination.js';
import { CreateAdjustmentDto } from './dto/create-adjustment.dto.js';
import { LedgerAccountsResponse } from './dto/ledger-account.response.js';
import { LedgerCheckResponse } from './dto/ledger-check.response.js';
import { ReverseTransferDto } from './dto/reverse-transfer.dto.js';
import { TransferPageResponse, TransferResponse } from './dto/transfer.response.js';
import { LedgerApiService } from './ledger-api.service.js';
import { MinRole } from '../circles/min-role.decorator.js';

@ApiTags('ledger')
@Controller('v1/circles/:circleId/ledger')
export class LedgerController {
  constructor(private readonly ledger: LedgerApiService) {}

  @MinRole('member')
  @Get('accounts')
  @ApiOperation({ summary: "The circle's six accounts with their balances (any member)" })
  @ApiResponse({ status: 200, type: LedgerAccountsResponse })
  listLedgerAccounts(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string): Promise<LedgerAccountsResponse> {
    return this.ledger.listAccounts(user.id, circleId);
  }

  @MinRole('treasurer')
  @Get('transfers')
  @ApiOperation({ summary: 'Transfers, newest first (organizer, treasurer)' })
  @ApiResponse({ status: 200, type: TransferPageResponse })
  listTransfers(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Query() page: PageQueryDto): Promise<TransferPageResponse> {
    return this.ledger.listTransfers(user.id, circleId, page.limit ?? DEFAULT_PAGE_LIMIT, page.cursor);
  }

  @MinRole('treasurer')
  @Get('transfers/:transferId')
  @ApiOperation({ summary: 'One transfer with its entries (organizer, treasurer)' })
  @ApiResponse({ status: 200, type: TransferResponse })
  getTransfer(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('transferId', IdPipe) transferId: string): Promise<TransferResponse> {
    return this.ledger.getTransfer(user.id, circleId, transferId);
  }

  @MinRole('treasurer')
  @Post('adjustments')
  @Idempotent({ oneWrite: true })
  @ApiOperation({
    summary: 'Record cash on hand coming in, or a correction going out (organizer, treasurer)',
    description: 'An outflow the pool cannot cover is refused with 409 insufficient-funds and changes nothing.',
  })
  @ApiResponse({ status: 201, type: TransferResponse })
  createAdjustment(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Body() dto: CreateAdjustmentDto): Promise<TransferResponse> {
    return this.ledger.createAdjustment(user.id, circleId, dto);
  }

  @MinRole('organizer')
  @Post('transfers/:transferId/reversal')
  @Idempotent()
  @ApiOperation({
    summary: 'Reverse a transfer by posting its mirror image (organizer)',
    description: 'A transfer is reversed at most once (a second reversal is 409 already-reversed), and a reversal cannot itself be reversed (409 invalid-state). 409 insufficient-funds if the pool cannot give back what the transfer brought in.',
  })
  @ApiResponse({ status: 201, type: TransferResponse })
  reverseTransfer(
    @CurrentUser() user: AuthUser,
    @Param('circleId', IdPipe) circleId: string,
    @Param('transferId', IdPipe) transferId: string,
    @Body() dto: ReverseTransferDto,
  ): Promise<TransferResponse> {
    return this.ledger.reverseTransfer(user.id, circleId, transferId, dto);
  }

  @MinRole('organizer')
  @Get('check')
  @ApiOperation({ summary: "Run the ledger's invariant checks for this circle (organizer)" })
  @ApiResponse({ status: 200, type: LedgerCheckResponse })
  checkLedger(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string): Promise<LedgerCheckResponse> {
    return this.ledger.checkLedger(user.id, circleId);
  }
}
