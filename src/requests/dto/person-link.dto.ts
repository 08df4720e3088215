import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { VaultText } from '../../roster/dto/recipient-validators.js';

/** What a person may change through their own status link: how to reach them and where the money goes. */
export class UpdateOwnPrivateDto {
  /** Replaces the contact; omit to keep it. Stored only in the encrypted vault. */
  @VaultText(200)
  contact?: string | null;

  /** Replaces the payout handle; omit to keep it. Stored only in the encrypted vault. */
  @VaultText(100)
  payoutHandle?: string | null;
}

/** The reasons a recipient may give for leaving the roster by themself. */
export const SELF_EXIT_REASONS = ['employed', 'moved', 'self_withdrew'] as const;

export class SelfExitDto {
  /** `employed` ("I found a job"), `moved`, or `self_withdrew`. */
  @ApiProperty({ enum: SELF_EXIT_REASONS, example: 'employed' })
  @IsIn(SELF_EXIT_REASONS)
  reason: (typeof SELF_EXIT_REASONS)[number];
}
