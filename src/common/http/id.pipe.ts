import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { DomainError } from '../errors/domain-error.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that is not a UUID names nothing that exists: 404, like any unknown id. */
@Injectable()
export class IdPipe implements PipeTransform<string, string> {
  transform(value: string, metadata?: ArgumentMetadata): string {
    // Same body as for a well-formed id that does not exist: `circleId` → "No such circle".
    if (typeof value !== 'string' || !UUID.test(value)) throw DomainError.notFound(metadata?.data?.replace(/Id$/, '') || undefined);
    return value.toLowerCase();
  }
}
