import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../auth/auth-user.js';
import { CurrentUser } from '../../auth/current-user.decorator.js';
import { IdPipe } from '../../common/http/id.pipe.js';
import { ChooseReceiptNameDto, ReceiptNameResponse } from './dto/receipt-name.dto.js';
import { ReceiptNamesService } from './receipt-names.service.js';
import { MinRole } from '../../circles/min-role.decorator.js';

@ApiTags('transparency')
@Controller('v1/circles/:circleId/receipt-name')
export class ReceiptNamesController {
  constructor(private readonly names: ReceiptNamesService) {}

  @MinRole('member')
  @Get()
  @ApiOperation({ summary: 'Your name on the receipts of your contributions in this circle; null: "a neighbour" (any member)' })
  @ApiResponse({ status: 200, type: ReceiptNameResponse })
  getReceiptName(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string): Promise<ReceiptNameResponse> {
    return this.names.get(user.id, circleId);
  }

  @MinRole('member')
  @Put()
  @ApiOperation({
    summary: 'Choose to be named on the receipts of your contributions, or (null) to be "a neighbour" again (any member)',
    description:
      'A name applies to receipts posted from now on, as a salted digest in the hash chain with the name shown beside it. ' +
      'Withdrawing it (null) also removes it from the receipts already published; their digests stay, so the chain still verifies.',
  })
  @ApiResponse({ status: 200, type: ReceiptNameResponse })
  chooseReceiptName(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Body() dto: ChooseReceiptNameDto): Promise<ReceiptNameResponse> {
    return this.names.choose(user.id, circleId, dto.name);
  }
}
