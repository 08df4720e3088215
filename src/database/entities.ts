// Every TypeORM entity, listed once so the app, the migration drift check and scripts
// load the same schema. Add a module's entities here when you add the module.
import { RefreshToken } from '../auth/refresh-token.entity.js';
import { Session } from '../auth/session.entity.js';
import { User } from '../auth/user.entity.js';
import { Circle } from '../circles/circle.entity.js';
import { Invite } from '../circles/invite.entity.js';
import { Membership } from '../circles/membership.entity.js';
import { Cycle } from '../cycles/cycle.entity.js';
import { SlotAssignment } from '../cycles/slot-assignment.entity.js';
import { IdempotencyKey } from '../common/idempotency/idempotency-key.entity.js';
import { RateLimitCounter } from '../common/rate-limit/rate-limit-counter.entity.js';
import { LedgerAccount } from '../ledger/ledger-account.entity.js';
import { LedgerEntry } from '../ledger/ledger-entry.entity.js';
import { LedgerTransfer } from '../ledger/ledger-transfer.entity.js';
import { ReceiptAlias } from '../ledger/receipt-alias.entity.js';
import { ReceiptDonorName } from '../ledger/receipt-donor-name.entity.js';
import { ReceiptNameChoice } from '../ledger/receipt-name-choice.entity.js';
import { ReceiptHead } from '../ledger/receipt-head.entity.js';
import { Receipt } from '../ledger/receipt.entity.js';
import { PaymentCustomer } from '../payments/payment-customer.entity.js';
import { PaymentEventRecord } from '../payments/payment-event-record.entity.js';
import { PayoutHistory } from '../payouts/payout-history.entity.js';
import { Payout } from '../payouts/payout.entity.js';
import { ContributionHistory } from '../pledges/contribution-history.entity.js';
import { ContributionReversal } from '../pledges/contribution-reversal.entity.js';
import { Contribution } from '../pledges/contribution.entity.js';
import { PledgeHistory } from '../pledges/pledge-history.entity.js';
import { Pledge } from '../pledges/pledge.entity.js';
import { VaultEntry } from '../privacy/vault-entry.entity.js';
import { VaultRead } from '../privacy/vault-read.entity.js';
import { RecipientStatusChange } from '../roster/recipient-status-change.entity.js';
import { Recipient } from '../roster/recipient.entity.js';
import { ReceiptCheckpoint } from '../transparency/receipts/receipt-checkpoint.entity.js';

export const ENTITIES: (new () => object)[] = [User, Session, RefreshToken, RateLimitCounter, Circle, Membership, Invite, LedgerAccount, LedgerTransfer, LedgerEntry, Receipt, ReceiptHead, ReceiptAlias, ReceiptDonorName, ReceiptNameChoice, IdempotencyKey, VaultEntry, VaultRead, Recipient, RecipientStatusChange, Cycle, SlotAssignment, Payout, PayoutHistory, PaymentEventRecord, PaymentCustomer, Pledge, PledgeHistory, Contribution, ContributionHistory, ContributionReversal, ReceiptCheckpoint];
