import { Check, Column, Entity, ForeignKey, PrimaryColumn, Unique } from 'typeorm';
import { LedgerAccount } from './ledger-account.entity.js';
import { LedgerTransfer } from './ledger-transfer.entity.js';

/**
 * One signed line of a transfer: amount > 0 debits the account, < 0 credits it. Records
 * the account's version and debit-minus-credit balance right after it. Append-only.
 */
@Entity('ledger_entries')
// One entry per version step of an account: two postings can never claim the same step.
@Unique('uq_ledger_entries_account_version', ['accountId', 'accountVersion'])
// The transfer and the account must belong to the entry's circle, so no posting crosses circles.
@ForeignKey(() => LedgerTransfer, ['transferId', 'circleId'], ['id', 'circleId'], { name: 'fk_ledger_entries_transfer', onDelete: 'RESTRICT' })
@ForeignKey(() => LedgerAccount, ['accountId', 'circleId'], ['id', 'circleId'], { name: 'fk_ledger_entries_account', onDelete: 'RESTRICT' })
@Check('ck_ledger_entries_amount_not_zero', `amount <> 0`)
@Check('ck_ledger_entries_version_positive', `account_version > 0`)
export class LedgerEntry {
  @PrimaryColumn('uuid', { name: 'transfer_id', primaryKeyConstraintName: 'pk_ledger_entries' })
  transferId: string;

  @PrimaryColumn('uuid', { name: 'account_id', primaryKeyConstraintName: 'pk_ledger_entries' })
  accountId: string;

  @Column('uuid', { name: 'circle_id' })
  circleId: string;

  @Column('bigint')
  amount: string;

  @Column('bigint', { name: 'account_version' })
  accountVersion: string;

  @Column('bigint', { name: 'balance_after' })
  balanceAfter: string;
}
