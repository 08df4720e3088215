import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import { Cycle } from '../cycles/cycle.entity.js';
import { LedgerTransfer } from '../ledger/ledger-transfer.entity.js';
import { PaymentProof } from './payment-proof.js';
import type { PayoutStatus } from './payout-status.js';

/**
 * One week's payment to one recipient in one cycle. Moves between states only through
 * guarded updates (PayoutTransitions); the amount is bigint minor units (a string here).
 */
@Entity({ name: 'payouts' })
// Invariant 5: at most one payout per (cycle, recipient, week), whoever generates the week.
@Unique('uq_payouts_cycle_recipient_week', ['cycleId', 'recipientId', 'week'])
@Unique('uq_payouts_id_circle', ['id', 'circleId'])
@ForeignKey(() => Cycle, ['cycleId', 'circleId'], ['id', 'circleId'], { name: 'fk_payouts_cycle', onDelete: 'RESTRICT' })
// The postings a payout names belong to its own circle.
@ForeignKey(() => LedgerTransfer, ['transferId', 'circleId'], ['id', 'circleId'], { name: 'fk_payouts_transfer', onDelete: 'RESTRICT' })
@ForeignKey(() => LedgerTransfer, ['reversalTransferId', 'circleId'], ['id', 'circleId'], { name: 'fk_payouts_reversal_transfer', onDelete: 'RESTRICT' })
@Index('idx_payouts_circle_created', ['circleId', 'createdAt', 'id'])
@Index('idx_payouts_cycle_week', ['cycleId', 'week', 'status'])
@Index('uq_payouts_ack_token_hash', ['ackTokenHash'], { unique: true })
@Check('ck_payouts_status', `status IN ('scheduled', 'approved', 'sent', 'acknowledged', 'returned', 'cancelled')`)
@Check('ck_payouts_week', `week >= 1`)
@Check('ck_payouts_amount_positive', `amount > 0`)
@Check('ck_payouts_method', `method IS NULL OR method IN ('cash', 'cashapp', 'venmo', 'zelle', 'paypal', 'bank', 'other')`)
@Check('ck_payouts_reference_last4', `reference_last4 IS NULL OR reference_last4 ~ '^[A-Za-z0-9]{4}$'`)
@Check('ck_payouts_proof_sha256', `proof_sha256 IS NULL OR proof_sha256 ~ '^[0-9a-f]{64}$'`)
// Money safety: a payout that went out always names its ledger posting, and only those do.
@Check('ck_payouts_sent_posted', `(status IN ('sent', 'acknowledged', 'returned')) = (transfer_id IS NOT NULL AND method IS NOT NULL)`)
@Check('ck_payouts_returned_reversed', `(status = 'returned') = (reversal_transfer_id IS NOT NULL)`)
export class Payout {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'circle_id', type: 'uuid' })
  circleId: string;

  @Column({ name: 'cycle_id', type: 'uuid' })
  cycleId: string;

  /** The roster's internal id: never an alias or anything from the vault (invariant 9). */
  @Column({ name: 'recipient_id', type: 'uuid' })
  @ForeignKey('recipients', { name: 'fk_payouts_recipient', onDelete: 'RESTRICT' })
  recipientId: string;

  @Column({ type: 'smallint' })
  week: number;

  @Column({ name: 'payout_date', type: 'date' })
  payoutDate: string;

  @Column({ type: 'bigint' })
  amount: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'varchar', length: 16, default: 'scheduled' })
  status: PayoutStatus;

  /** How it was sent: method, reference's last four, screenshot's SHA-256 (columns method, reference_last4, proof_sha256). */
  @Column(() => PaymentProof, { prefix: false })
  proof: PaymentProof;

  /** The ledger posting pool → payouts made when the payout was sent. */
  @Column({ name: 'transfer_id', type: 'uuid', nullable: true })
  transferId: string | null;

  /** The ledger reversal posted when the money came back. */
  @Column({ name: 'reversal_transfer_id', type: 'uuid', nullable: true })
  reversalTransferId: string | null;

  /** SHA-256 of the current one-time acknowledgement token; the token is shown once, by POST …/acknowledgement-link, and stored nowhere. */
  @Column({ name: 'ack_token_hash', type: 'char', length: 64, nullable: true })
  ackTokenHash: string | null;

  @Column({ name: 'ack_expires_at', type: 'timestamptz', nullable: true })
  ackExpiresAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null;

  @Column({ name: 'returned_at', type: 'timestamptz', nullable: true })
  returnedAt: Date | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;
}
