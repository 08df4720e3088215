import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import { LedgerTransfer } from '../ledger/ledger-transfer.entity.js';
import { PaymentProof } from '../payouts/payment-proof.js';
import { IntakeLink } from './intake-link.entity.js';
import type { DeclineReason, GrantCategory, RequestKind, RequestSource, RequestStatus } from './request-status.js';

/**
 * A request for help: a one-off grant or a place on the roster (docs/grants.md). Plain
 * columns hold only what organizers decide on — alias, kind, category, amounts, dates; the
 * person's contact, payout handle and story are in the vault under `subject_id`
 * (invariant 9). States move only through guarded updates (RequestTransitions), and the
 * database checks the pairs, the two-person rule, self-approval and the monthly budget
 * (migration 1790000001400-Requests).
 */
@Entity({ name: 'requests' })
@Unique('uq_requests_id_circle', ['id', 'circleId'])
@Unique('uq_requests_subject', ['subjectId'])
@ForeignKey(() => IntakeLink, ['intakeLinkId', 'circleId'], ['id', 'circleId'], { name: 'fk_requests_intake_link', onDelete: 'RESTRICT' })
@ForeignKey(() => LedgerTransfer, ['transferId', 'circleId'], ['id', 'circleId'], { name: 'fk_requests_transfer', onDelete: 'RESTRICT' })
@ForeignKey(() => LedgerTransfer, ['reversalTransferId', 'circleId'], ['id', 'circleId'], { name: 'fk_requests_reversal_transfer', onDelete: 'RESTRICT' })
@Index('idx_requests_circle_created', ['circleId', 'createdAt', 'id'])
@Index('idx_requests_circle_budget_month', ['circleId', 'budgetMonth'])
@Index('idx_requests_intake_link_status', ['intakeLinkId', 'status'])
@Check('ck_requests_status', `status IN ('submitted', 'in_review', 'approved', 'paid', 'acknowledged', 'declined', 'withdrawn', 'cancelled', 'returned', 'expired')`)
@Check('ck_requests_kind', `kind IN ('grant', 'roster')`)
@Check('ck_requests_source', `source IN ('referral', 'organizer', 'intake')`)
@Check('ck_requests_alias', `char_length(alias) BETWEEN 1 AND 40`)
// A grant names its category and the amount asked; a roster request names neither.
@Check('ck_requests_grant_fields', `(kind = 'grant') = (category IS NOT NULL AND amount_asked IS NOT NULL)`)
@Check('ck_requests_category', `category IS NULL OR category IN ('rent', 'medical', 'food', 'utilities', 'transport', 'childcare', 'other')`)
@Check('ck_requests_amount_asked', `amount_asked IS NULL OR amount_asked > 0`)
// Money safety: an organizer grants at most what was asked unless they say so (above_asked).
@Check('ck_requests_amount_granted', `amount_granted IS NULL OR (kind = 'grant' AND amount_granted > 0 AND (amount_granted <= amount_asked OR above_asked))`)
@Check('ck_requests_approved_amount', `kind <> 'grant' OR status NOT IN ('approved', 'paid', 'acknowledged', 'cancelled', 'returned') OR amount_granted IS NOT NULL`)
// Who opened it: a member or organizer (opened_by), or nobody with an account (an intake link).
@Check('ck_requests_opener', `(source = 'intake') = (opened_by IS NULL AND intake_link_id IS NOT NULL)`)
@Check('ck_requests_decline_reason', `(status = 'declined') = (decline_reason IS NOT NULL)`)
@Check('ck_requests_decline_reason_list', `decline_reason IS NULL OR decline_reason IN ('over_budget', 'out_of_scope', 'duplicate', 'no_response', 'not_eligible', 'other')`)
// No one approves a request they referred or opened; a second approval is by someone else.
@Check('ck_requests_not_self_approved', `approved_by IS DISTINCT FROM opened_by OR approved_by IS NULL`)
@Check('ck_requests_not_self_second', `second_approved_by IS NULL OR (second_approved_by IS DISTINCT FROM opened_by AND second_approved_by <> approved_by)`)
@Check('ck_requests_second_sender', `second_sent_by IS NULL OR second_sent_by <> sent_by`)
@Check('ck_requests_roster_recipient', `(recipient_id IS NOT NULL) = (kind = 'roster' AND status = 'approved')`)
@Check('ck_requests_method', `method IS NULL OR method IN ('cash', 'cashapp', 'venmo', 'zelle', 'paypal', 'bank', 'other')`)
@Check('ck_requests_reference_last4', `reference_last4 IS NULL OR reference_last4 ~ '^[A-Za-z0-9]{4}$'`)
@Check('ck_requests_proof_sha256', `proof_sha256 IS NULL OR proof_sha256 ~ '^[0-9a-f]{64}$'`)
// Money safety: a grant that went out always names its ledger posting, and only those do.
@Check('ck_requests_paid_posted', `(status IN ('paid', 'acknowledged', 'returned')) = (transfer_id IS NOT NULL AND method IS NOT NULL AND sent_at IS NOT NULL)`)
@Check('ck_requests_returned_reversed', `(status = 'returned') = (reversal_transfer_id IS NOT NULL)`)
export class GrantRequest {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_requests' })
  id: string;

  @Column({ name: 'circle_id', type: 'uuid' })
  @ForeignKey('circles', { name: 'fk_requests_circle', onDelete: 'RESTRICT' })
  circleId: string;

  /**
   * The key of this request's vault row. A roster request that is approved becomes the
   * recipient with this very id, so its sealed fields move with it and nothing is copied.
   */
  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  @Column({ type: 'varchar', length: 8 })
  kind: RequestKind;

  @Column({ type: 'varchar', length: 16, nullable: true })
  category: GrantCategory | null;

  @Column({ name: 'amount_asked', type: 'bigint', nullable: true })
  amountAsked: string | null;

  @Column({ name: 'amount_granted', type: 'bigint', nullable: true })
  amountGranted: string | null;

  /** The approver chose to grant more than was asked. */
  @Column({ name: 'above_asked', type: 'boolean', default: false })
  aboveAsked: boolean;

  @Column({ type: 'char', length: 3 })
  currency: string;

  /** Chosen by the requester: what organizers call them. Never a full name, never published unless the circle shows aliases. */
  @Column({ type: 'varchar', length: 40 })
  alias: string;

  @Column({ type: 'varchar', length: 16, default: 'submitted' })
  status: RequestStatus;

  @Column({ type: 'varchar', length: 12 })
  source: RequestSource;

  /** The member or organizer who opened it (for a referral: the referrer, shown to organizers only). Null through an intake link. */
  @Column({ name: 'opened_by', type: 'uuid', nullable: true })
  openedBy: string | null;

  @Column({ name: 'intake_link_id', type: 'uuid', nullable: true })
  intakeLinkId: string | null;

  @Column({ name: 'decline_reason', type: 'varchar', length: 16, nullable: true })
  declineReason: DeclineReason | null;

  /** The organizer who approved (alone, or first when the two-person rule applies). */
  @Column({ name: 'approved_by', type: 'uuid', nullable: true })
  approvedBy: string | null;

  /** The second, different organizer or treasurer, at or above the two-person threshold. */
  @Column({ name: 'second_approved_by', type: 'uuid', nullable: true })
  secondApprovedBy: string | null;

  /** First day of the calendar month (circle time zone) whose grant budget the approval counts against. */
  @Column({ name: 'budget_month', type: 'date', nullable: true })
  budgetMonth: string | null;

  /** The roster's recipient made from an approved roster request (the same id as subject_id). */
  @Column({ name: 'recipient_id', type: 'uuid', nullable: true })
  recipientId: string | null;

  /** How the grant was sent, as for a payout (columns method, reference_last4, proof_sha256). */
  @Column(() => PaymentProof, { prefix: false })
  proof: PaymentProof;

  /** The treasurer who sent it (alone, or first at or above the two-person threshold). */
  @Column({ name: 'sent_by', type: 'uuid', nullable: true })
  sentBy: string | null;

  @Column({ name: 'second_sent_by', type: 'uuid', nullable: true })
  secondSentBy: string | null;

  /** The ledger posting pool → payouts made when the grant was paid (its id is the request's id). */
  @Column({ name: 'transfer_id', type: 'uuid', nullable: true })
  transferId: string | null;

  @Column({ name: 'reversal_transfer_id', type: 'uuid', nullable: true })
  reversalTransferId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'status_changed_at', type: 'timestamptz' })
  statusChangedAt: Date;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null;
}
