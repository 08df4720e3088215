import { IsIn } from 'class-validator';
import { EXIT_REASONS, type ExitReason } from '../recipient-status.js';

export class ExitRecipientDto {
  /** Why the person leaves the roster; reported only as counts. @example "employed" */
  @IsIn(EXIT_REASONS)
  reason: ExitReason;
}
