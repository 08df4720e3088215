import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isCommonPassword } from './common-passwords.js';

export const PASSWORD_MIN_LENGTH = 10;
/** argon2 accepts any length; a cap keeps one request from buying a long hash computation. */
export const PASSWORD_MAX_LENGTH = 256;

/** Rejects passwords from the common-password list (case-insensitive). */
export function NotCommonPassword(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'notCommonPassword',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !isCommonPassword(value),
        defaultMessage: () => 'password is too common; choose one that is harder to guess',
      },
    },
    options,
  );
}
