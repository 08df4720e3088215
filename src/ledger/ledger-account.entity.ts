import { Check, Column, CreateDateColumn, Entity, ForeignKey, PrimaryColumn, Unique } from 'typeorm';
import { ACCOUNT_KINDS, type AccountKind } from './account-kind.js';

/**
 * One account of one circle. Totals and version are moved only by `ledger_post`
 * (migrations/…-LedgerPosting.ts); bigint columns arrive as strings.
 */
@Entity('ledger_accounts')
@Unique('uq_ledger_accounts_circle_kind', ['circleId', 'kind'])
// Target of the composite foreign key that keeps an entry's account in its transfer's circle.
@Unique('uq_ledger_accounts_id_circle', ['id', 'circleId'])
@Check('ck_ledger_accounts_kind', `kind IN (${ACCOUNT_KINDS.map((k) => `'${k}'`).join(', ')})`)
// Totals stay within what a JSON number holds exactly (docs/ledger.md, "Amount limits"): no
// sequence of postings can overflow them, and every balance the API prints is exact.
@Check('ck_ledger_accounts_totals_bounded', `debit_total <= 9007199254740991 AND credit_total <= 9007199254740991`)
@Check('ck_ledger_accounts_totals_not_negative', `debit_total >= 0 AND credit_total >= 0 AND version >= 0`)
// Invariant 4: a circle's pool never goes below zero (mapped to 409 insufficient-funds).
@Check('ck_ledger_accounts_pool_not_negative', `kind <> 'pool' OR debit_total >= credit_total`)
export class LedgerAccount {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_ledger_accounts' })
  id: string;

  @Column('uuid', { name: 'circle_id' })
  @ForeignKey('circles', { name: 'fk_ledger_accounts_circle', onDelete: 'RESTRICT' })
  circleId: string;

  @Column('text')
  kind: AccountKind;

  @Column('char', { length: 3 })
  currency: string;

  @Column('bigint', { name: 'debit_total', default: 0 })
  debitTotal: string;

  @Column('bigint', { name: 'credit_total', default: 0 })
  creditTotal: string;

  @Column('bigint', { default: 0 })
  version: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
