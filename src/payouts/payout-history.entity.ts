import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { PayoutHistoryEvent, PayoutStatus } from './payout-status.js';
import { Payout } from './payout.entity.js';
import { ACTOR_CHECK, USER_ACTOR_CHECK } from '../common/actor.js';
import { StateHistory } from '../common/state-history.entity.js';

/**
 * Every state a payout entered, with who and when (docs/design.md "State machines"), and every
 * acknowledgement link issued for it. Append-only: a trigger (migration 1790000000500)
 * refuses UPDATE, DELETE and TRUNCATE.
 */
@Entity({ name: 'payout_history' })
@ForeignKey(() => Payout, ['payoutId', 'circleId'], ['id', 'circleId'], { name: 'fk_payout_history_payout', onDelete: 'RESTRICT' })
@Index('idx_payout_history_payout', ['payoutId', 'id'])
@Check('ck_payout_history_to_status', `to_status IN ('scheduled', 'approved', 'sent', 'acknowledged', 'returned', 'cancelled')`)
// A status change changes the status; a link is issued for a sent payout and leaves it sent.
@Check(
  'ck_payout_history_event',
  `(event = 'status_change' AND from_status IS DISTINCT FROM to_status) OR (event IN ('acknowledgement_link_issued', 'not_arrived_reported') AND from_status = 'sent' AND to_status = 'sent')`,
)
@Check('ck_payout_history_actor', ACTOR_CHECK)
@Check('ck_payout_history_user_actor', USER_ACTOR_CHECK)
export class PayoutHistory extends StateHistory<PayoutStatus> {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'payout_id', type: 'uuid' })
  payoutId: string;

  @Column({ type: 'varchar', length: 32, default: 'status_change' })
  event: PayoutHistoryEvent;
}
