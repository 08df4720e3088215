import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUrl, IsUUID } from 'class-validator';
import { MinorUnits } from '../../common/validation/decorators.js';
import { PLEDGE_METHODS, type PledgeMethod } from '../pledge-status.js';

export class CreatePledgeDto {
  @MinorUnits({ description: 'The weekly amount, in minor units of the circle currency (2000 = 20.00 USD).' })
  amount: number;

  @ApiProperty({ enum: PLEDGE_METHODS, description: '`card`: a weekly Stripe subscription (the response carries the Checkout URL). `manual`: paid by hand and recorded by a treasurer.' })
  @IsIn(PLEDGE_METHODS)
  method: PledgeMethod;

  @ApiPropertyOptional({ format: 'uuid', description: 'Bind the pledge to a cycle: it completes when the cycle ends. Without it the pledge is ongoing.' })
  @IsOptional()
  @IsUUID()
  cycleId?: string;

  @ApiPropertyOptional({ format: 'uri', description: 'Card pledges: where Checkout sends the donor after paying.' })
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true, require_tld: false })
  successUrl?: string;

  @ApiPropertyOptional({ format: 'uri', description: 'Card pledges: where Checkout\'s back button goes.' })
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true, require_tld: false })
  cancelUrl?: string;
}
