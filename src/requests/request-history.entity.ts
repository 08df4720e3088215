import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { RequestHistoryEvent, RequestStatus } from './request-status.js';
import { GrantRequest } from './request.entity.js';
import { ACTOR_CHECK, USER_ACTOR_CHECK } from '../common/actor.js';
import { StateHistory } from '../common/state-history.entity.js';

/**
 * Everything that happened to a request, with who and when: status changes, a first approval
 * or send waiting for a second person, status links issued or revoked, private data updated.
 * Append-only: a trigger (migration 1790000001400) refuses UPDATE, DELETE and TRUNCATE. Holds
 * no free text and nothing from the vault (invariant 9).
 */
@Entity({ name: 'request_history' })
@ForeignKey(() => GrantRequest, ['requestId', 'circleId'], ['id', 'circleId'], { name: 'fk_request_history_request', onDelete: 'RESTRICT' })
@Index('idx_request_history_request', ['requestId', 'id'])
@Index('idx_request_history_circle_at', ['circleId', 'at'])
@Check('ck_request_history_to_status', `to_status IN ('submitted', 'in_review', 'approved', 'paid', 'acknowledged', 'declined', 'withdrawn', 'cancelled', 'returned', 'expired')`)
@Check('ck_request_history_event', `event IN ('status_change', 'first_approval', 'send_requested', 'link_issued', 'link_revoked', 'private_updated', 'private_erased', 'attachment_added')`)
@Check('ck_request_history_change', `(event = 'status_change') = (from_status IS DISTINCT FROM to_status)`)
@Check('ck_request_history_actor', ACTOR_CHECK)
@Check('ck_request_history_user_actor', USER_ACTOR_CHECK)
export class RequestHistory extends StateHistory<RequestStatus> {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'pk_request_history' })
  id: string;

  @Column({ name: 'request_id', type: 'uuid' })
  requestId: string;

  @Column({ type: 'varchar', length: 24, default: 'status_change' })
  event: RequestHistoryEvent;
}
