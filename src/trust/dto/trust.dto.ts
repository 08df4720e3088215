import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { ALERT_SEVERITIES, type AlertSeverity } from '../alert-severity.js';
import { OFFICIAL_HANDLE_METHODS, type OfficialHandleMethod } from '../official-handle-method.js';

export class CreateJoinCodeDto {
  /** How long the code works, in hours (default 72). */
  @ApiPropertyOptional({ minimum: 1, maximum: 720, example: 72 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(720)
  expiresInHours?: number;
}

export class JoinNetworkDto {
  /** The code another member circle's organizer shared. */
  @ApiProperty({ example: 'ld6E9amknC79T3UiTt3X7wu6dQ8_oNofsy_uxfwyIGs', minLength: 43, maxLength: 43, pattern: '^[A-Za-z0-9_-]{43}$' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'code must be the 43-character join code' })
  code: string;
}

export class AddOfficialHandleDto {
  @ApiProperty({ enum: OFFICIAL_HANDLE_METHODS, example: 'cashapp' })
  @IsIn(OFFICIAL_HANDLE_METHODS)
  method: OfficialHandleMethod;

  /** Where donors send money, as donors see it: "$EastsideAid", "@eastside-aid", an email or phone for Zelle. */
  @ApiProperty({ example: '$EastsideAid', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  handle: string;
}

export class CheckHandleDto {
  /** The handle someone asked you to pay; compared without case, spaces or a leading $ or @. */
  @ApiProperty({ example: '$eastside aid', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  handle: string;
}

export class PostAlertDto {
  @ApiProperty({ enum: ALERT_SEVERITIES, example: 'critical' })
  @IsIn(ALERT_SEVERITIES)
  severity: AlertSeverity;

  /** What members should know; no URLs or domains unless allowLinks is true. */
  @ApiProperty({ example: 'Someone is impersonating our Cash App. We only use the handles listed in the app.', minLength: 1, maxLength: 500 })
  @IsString()
  @Length(1, 500)
  text: string;

  /** When it stops being shown as active (ISO 8601, in the future, at most a year ahead). */
  @ApiProperty({ example: '2026-12-31T00:00:00Z', format: 'date-time' })
  @IsISO8601({ strict: true })
  expiresAt: string;

  /** The organizer allows a link in the text (refused by default: phishing travels in links). */
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  allowLinks?: boolean;
}

export class ListAlertsDto {
  /** Also list expired alerts, after the active ones, flagged `expired: true`. */
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeExpired?: 'true' | 'false';
}
