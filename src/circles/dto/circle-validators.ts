import { registerDecorator, type ValidationOptions } from 'class-validator';
import { currencyExponent } from '../currency.js';

export function IsCircleCurrency(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isCircleCurrency',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be an ISO 4217 currency code such as USD, EUR or JPY', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && currencyExponent(value) !== undefined },
    });
}
