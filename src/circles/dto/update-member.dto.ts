import { IsIn } from 'class-validator';
import { CIRCLE_ROLES, type CircleRole } from '../circle-role.js';

export class UpdateMemberDto {
  /** @example "treasurer" */
  @IsIn(CIRCLE_ROLES)
  role: CircleRole;
}
