import { IsIn, IsString, Length } from 'class-validator';

export const API_KEY_ROLES = ['treasurer', 'donor', 'member'] as const;

export class CreateApiKeyDto {
  /** What the key is for. @example "Telegram bot" */
  @IsString()
  @Length(1, 100)
  name: string;

  /** The role the key acts with in this circle; never organizer. @example "treasurer" */
  @IsIn(API_KEY_ROLES)
  role: (typeof API_KEY_ROLES)[number];
}
