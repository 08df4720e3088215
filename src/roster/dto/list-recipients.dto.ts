import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.js';
import { RECIPIENT_STATUSES, type RecipientStatus } from '../recipient-status.js';

export class ListRecipientsQueryDto extends PageQueryDto {
  /** Only recipients in this state. `waitlisted` lists in queue order; otherwise by arrival. */
  @IsOptional()
  @IsIn(RECIPIENT_STATUSES)
  status?: RecipientStatus;
}
