import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator.js';
import { PayoutAcknowledgementResponse, PayoutNotArrivedResponse } from './dto/payout-acknowledgement.response.js';
import { PayoutAcknowledgements } from './payout-acknowledgements.service.js';

@ApiTags('payouts')
@Controller('v1/payout-acknowledgements')
export class PayoutAcknowledgementsController {
  constructor(private readonly acknowledgements: PayoutAcknowledgements) {}

  @Post(':token')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'The recipient confirms the money arrived, with the one-time link a treasurer issued (POST …/payouts/{payoutId}/acknowledgement-link; no account needed)' })
  @ApiResponse({ status: 200, type: PayoutAcknowledgementResponse })
  @ApiResponse({ status: 404, description: 'No such link, or a newer link replaced it (not-found)' })
  @ApiResponse({ status: 409, description: 'Already acknowledged (acknowledgement-used), or the payout was returned (invalid-state)' })
  @ApiResponse({ status: 410, description: 'The link has expired (acknowledgement-expired)' })
  acknowledgePayout(@Param('token') token: string): Promise<PayoutAcknowledgementResponse> {
    return this.acknowledgements.acknowledge(token);
  }

  @Post(':token/not-arrived')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'The recipient says the money did not arrive, with the same link: the payout stays sent and the link keeps working; its history records the report and payout.not_arrived is emitted',
  })
  @ApiResponse({ status: 200, type: PayoutNotArrivedResponse })
  @ApiResponse({ status: 404, description: 'No such link, or a newer link replaced it (not-found)' })
  @ApiResponse({ status: 409, description: 'Already acknowledged (acknowledgement-used), or the payout was returned (invalid-state)' })
  @ApiResponse({ status: 410, description: 'The link has expired (acknowledgement-expired)' })
  reportNotArrived(@Param('token') token: string): Promise<PayoutNotArrivedResponse> {
    return this.acknowledgements.reportNotArrived(token);
  }
}
