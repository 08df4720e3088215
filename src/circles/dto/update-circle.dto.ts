import { Transform } from 'class-transformer';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsPositive, IsString, IsTimeZone, Length, Max, Min } from 'class-validator';
import type { ReceiptVisibility } from '../circle.entity.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Editable settings. Send only what changes, with If-Match set to the circle's ETag. */
export class UpdateCircleDto {
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name?: string;

  /** @example "America/Chicago" */
  @IsOptional()
  @IsString()
  @IsTimeZone()
  timezone?: string;

  /** Days after a recipient exits before their private data is purged (1–3650). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  retentionDays?: number;

  /** Show recipients' aliases on receipts (off: receipts name no one). */
  @IsOptional()
  @IsBoolean()
  showRecipientAliases?: boolean;

  /** `members` (default) or `public`: receipts and reports readable without login. */
  @IsOptional()
  @IsIn(['members', 'public'])
  receiptVisibility?: ReceiptVisibility;

  /**
   * The largest single adjustment or contribution, in minor units (an adjustment above it
   * waits for a second approver); null returns to the default (docs/ledger.md, "Amount limits").
   */
  @ApiPropertyOptional({ type: 'integer', format: 'int64', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, nullable: true, example: 500000 })
  @IsOptional()
  @IsInt({ message: '$property must be an integer number of minor units' })
  @IsPositive()
  @Max(Number.MAX_SAFE_INTEGER)
  maxSingleAmount?: number | null;

  /** Manual contributions wait for a second treasurer or organizer to approve them. */
  @IsOptional()
  @IsBoolean()
  requireSecondApproval?: boolean;
}
