import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '../../auth/password-policy.js';

export class DeleteAccountDto {
  /** The account's current password: a stolen access token alone cannot delete an account. @example "plum-orbit-lantern-42" */
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}
