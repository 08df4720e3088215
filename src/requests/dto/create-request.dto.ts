import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { MinorUnits } from '../../common/validation/decorators.js';
import { RecipientAlias } from '../../roster/dto/recipient-validators.js';
import { ReplaceRecipientPrivateDto } from '../../roster/dto/replace-recipient-private.dto.js';
import { GRANT_CATEGORIES, REQUEST_KINDS, type GrantCategory, type RequestKind } from '../request-status.js';

/**
 * A request for help, opened by a member (a referral), an organizer, or the person through an
 * intake link. Its vault fields are a recipient's: `contact`, `payoutHandle` (where the money
 * should go) and `note` (a few words on what is going on, at most 1,000 characters), stored only
 * in the encrypted vault.
 */
export class CreateRequestDto extends ReplaceRecipientPrivateDto {
  /** `grant`: a one-off amount for one purpose; `roster`: a place on the weekly support. */
  @ApiProperty({ enum: REQUEST_KINDS, example: 'grant' })
  @IsIn(REQUEST_KINDS)
  kind: RequestKind;

  /** What a grant is for; required for a grant, refused for a roster request. */
  @ApiPropertyOptional({ enum: GRANT_CATEGORIES, example: 'medical' })
  @IsOptional()
  @IsIn(GRANT_CATEGORIES)
  category?: GrantCategory;

  /** The amount asked, in minor units; required for a grant, refused for a roster request. */
  @MinorUnits({ optional: true, description: 'The amount asked, in minor units of the circle currency (40000 = 400.00 USD); grants only.' })
  amount?: number;

  /** What the organizers will call the person: a nickname the requester chooses, never a full name. @example "M." */
  @RecipientAlias()
  alias: string;
}
