import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import { LedgerTransfer } from './ledger-transfer.entity.js';

/**
 * The published, privacy-safe record of a posting (DESIGN.md "Transparency"), one link of
 * its circle's hash chain. Written only by `ledger_after_post` in the posting's own
 * statement (migrations/…800-Receipts.ts); never updated or deleted (invariant 8). The
 * hashed fields and their canonical JSON are in docs/receipts.md.
 */
@Entity('receipts')
// Gap-free per circle, and the keyset of the feed: page 1,000 costs what page 1 costs.
@Unique('uq_receipts_circle_seq', ['circleId', 'seq'])
// Internal link for reversals and the ledger check; never published (it is not a recipient id).
@ForeignKey(() => LedgerTransfer, ['transferId', 'circleId'], ['id', 'circleId'], { name: 'fk_receipts_transfer', onDelete: 'RESTRICT' })
@ForeignKey(() => Receipt, ['reverses'], ['id'], { name: 'fk_receipts_reverses', onDelete: 'RESTRICT' })
@Index('idx_receipts_transfer', ['transferId'])
@Check('ck_receipts_seq_positive', `seq >= 1`)
@Check('ck_receipts_kind', `kind ~ '^[a-z][a-z_]{1,39}$'`)
// A JSON integer a verifier can read exactly (DESIGN.md "Money": never a float).
@Check('ck_receipts_amount', `amount > 0 AND amount <= 9007199254740991`)
@Check('ck_receipts_direction', `direction IN ('in', 'out')`)
@Check('ck_receipts_week', `week >= 1`)
@Check('ck_receipts_hashes', `octet_length(prev_hash) = 32 AND octet_length(hash) = 32`)
@Check('ck_receipts_alias_digest', `octet_length(alias_digest) = 32`)
@Check('ck_receipts_donor_digest', `octet_length(donor_digest) = 32`)
@Check('ck_receipts_category', `category ~ '^[a-z][a-z_]{1,15}$'`)
export class Receipt {
  /** Random per receipt, so weeks cannot be linked to one person (DESIGN.md "Privacy by design"). */
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_receipts' })
  id: string;

  @Column('uuid', { name: 'circle_id' })
  circleId: string;

  @Column('bigint')
  seq: string;

  @Column('uuid', { name: 'transfer_id' })
  transferId: string;

  /** payout, contribution, fee, refund, dispute, reversal, adjustment, or the transfer's own kind. */
  @Column('varchar', { length: 40 })
  kind: string;

  @Column('bigint')
  amount: string;

  @Column('char', { length: 3 })
  currency: string;

  /** Into (`in`) or out of (`out`) the circle's money, when that is defined. */
  @Column('varchar', { length: 3, nullable: true })
  direction: 'in' | 'out' | null;

  @Column('varchar', { length: 16, nullable: true })
  method: string | null;

  /** The day the money moved, in the circle's time zone. */
  @Column('date')
  date: string;

  @Column('uuid', { name: 'cycle_id', nullable: true })
  cycleId: string | null;

  @Column('smallint', { nullable: true })
  week: number | null;

  /**
   * SHA-256(salt ‖ UTF-8 alias) of the recipient's alias, only if the circle showed aliases
   * when this was posted. The alias and its salt are kept apart, in receipt_aliases, until
   * the recipient is erased; the digest alone says nothing about the person.
   */
  @Column('bytea', { name: 'alias_digest', nullable: true })
  aliasDigest: Buffer | null;

  /** How a donor appears: "a neighbour", or null when the donor chose to be named (see donorDigest). */
  @Column('varchar', { length: 40, nullable: true })
  donor: string | null;

  /**
   * SHA-256(salt ‖ UTF-8 name) of the name a donor chose to appear under in this circle; the
   * name and salt are kept apart, in receipt_donor_names, until the donor withdraws it.
   */
  @Column('bytea', { name: 'donor_digest', nullable: true })
  donorDigest: Buffer | null;

  /** The receipt of the posting this one reverses. */
  @Column('uuid', { nullable: true })
  reverses: string | null;

  @Column('bytea', { name: 'prev_hash' })
  prevHash: Buffer;

  /** SHA-256(prev_hash ‖ UTF-8 canonical JSON of this receipt). */
  @Column('bytea')
  hash: Buffer;

  /**
   * What a grant was for (rent, medical…), on a grant's receipt and its reversal; null on every
   * other kind. Hashed only when present, so receipts published before grants existed keep
   * their canonical bytes (docs/receipts.md).
   */
  @Column('varchar', { length: 16, nullable: true })
  category: string | null;
}
