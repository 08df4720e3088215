import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { NotCommonPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../password-policy.js';
import { NormalizeEmail } from './normalize-email.js';

export class RegisterDto {
  /**
   * Compared case-insensitively; stored lower-cased.
   * @example "ann@example.org"
   */
  @NormalizeEmail()
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be an email address' })
  email: string;

  /**
   * At least 10 characters and not a commonly used password.
   * @example "plum-orbit-lantern-42"
   */
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH, { message: `password must be at least ${PASSWORD_MIN_LENGTH} characters long` })
  @MaxLength(PASSWORD_MAX_LENGTH)
  @NotCommonPassword()
  password: string;
}
