import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { CIRCLE_ROLES, type CircleRole } from '../circle-role.js';

export class CreateInviteDto {
  /** The role the person who accepts will hold. @example "donor" */
  @IsIn(CIRCLE_ROLES)
  role: CircleRole;

  /** Hours until the invite expires (1–720, default 72). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(720)
  expiresInHours?: number;
}
