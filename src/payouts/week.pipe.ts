import { Injectable, type PipeTransform } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error.js';

/**
 * A week in a path is a whole number 1–104 (the longest cycle); anything else names no
 * week: 404. (The global validation pipe may already have turned the text into a number.)
 */
@Injectable()
export class WeekPipe implements PipeTransform<string | number, number> {
  transform(value: string | number): number {
    const text = String(value);
    if (!/^[1-9]\d{0,2}$/.test(text) || Number(text) > 104) throw DomainError.notFound('week');
    return Number(text);
  }
}
