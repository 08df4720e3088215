import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';

/**
 * One balanced posting. Append-only (invariant 2); its id is chosen by the caller and
 * unique forever, which is what makes a retried posting a no-op.
 */
@Entity('ledger_transfers')
@Unique('uq_ledger_transfers_id_circle', ['id', 'circleId'])
// Invariant 6: a transfer is reversed at most once…
@Unique('uq_ledger_transfers_reverses', ['reverses'])
// …and only by a transfer of the same circle.
@ForeignKey(() => LedgerTransfer, ['reverses', 'circleId'], ['id', 'circleId'], { name: 'fk_ledger_transfers_reverses', onDelete: 'RESTRICT' })
@Check('ck_ledger_transfers_not_self_reversal', `reverses <> id`)
@Check('ck_ledger_transfers_kind', `kind ~ '^[a-z][a-z_]{1,39}$'`)
@Check('ck_ledger_transfers_metadata', `jsonb_typeof(metadata) = 'object'`)
@Index('idx_ledger_transfers_circle_created', ['circleId', 'createdAt', 'id'])
export class LedgerTransfer {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_ledger_transfers' })
  id: string;

  /**
   * No foreign key to circles: entries tie a transfer to accounts of its circle
   * (fk_ledger_entries_transfer, fk_ledger_entries_account) and accounts to the circle. A
   * direct key would share-lock the circle row on every posting, a contention point in a
   * busy circle.
   */
  @Column('uuid', { name: 'circle_id' })
  circleId: string;

  /** What kind of posting: adjustment, reversal, payout, contribution, fee… */
  @Column('text')
  kind: string;

  /** Short free text for treasurers; documented as "no names" (invariant 9). */
  @Column('varchar', { length: 140, nullable: true })
  memo: string | null;

  @Column('uuid', { nullable: true })
  reverses: string | null;

  /** Ids other modules attach (cycle, week, payout, contribution); never personal data. */
  @Column('jsonb', { default: {} })
  metadata: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
