import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { EVENT_TYPES } from '../../../events/event-map.js';

export class CreateWebhookEndpointDto {
  /** Where deliveries are POSTed: https, on a public address. @example "https://hooks.example.org/arvut" */
  @IsString()
  @MaxLength(2048)
  url: string;

  /** The event types to deliver (docs/webhooks.md). */
  @ApiProperty({ type: 'array', items: { type: 'string', enum: [...EVENT_TYPES] }, minItems: 1, maxItems: EVENT_TYPES.length, uniqueItems: true })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(EVENT_TYPES.length)
  @IsIn(EVENT_TYPES, { each: true })
  eventTypes: string[];

  /** What this endpoint is for, for the organizers. @example "Telegram bot" */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string;

  /** Default true. */
  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}
