import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../common/errors/domain-error.js';
import { decodeCursor, encodeCursor, type Page } from '../common/pagination.js';
import { LongReads } from '../database/long-reads.js';
import { TransactionHost } from '../database/transaction-host.js';
import { CircleAccess } from '../circles/circle-access.service.js';
import type { CreateAdjustmentDto } from './dto/create-adjustment.dto.js';
import { toLedgerAccountsResponse, type LedgerAccountsResponse } from './dto/ledger-account.response.js';
import { toLedgerCheckResponse, type LedgerCheckResponse } from './dto/ledger-check.response.js';
import type { ReverseTransferDto } from './dto/reverse-transfer.dto.js';
import { toTransferResponse, toTransferSummaryResponse, type TransferResponse, type TransferSummaryResponse } from './dto/transfer.response.js';
import { runLedgerCheck } from './ledger-check.js';
import { LedgerService } from './ledger.service.js';
import { adjustmentEntries } from './adjustment-entries.js';
import { AmountLimits } from './amount-limits.service.js';
import { inOneWriteAttempt, recordTransferAhead, registerTransferReplay } from '../common/idempotency/idempotency-store.js';

/**
 * What the ledger endpoints do for a caller: an access check first (404 outside the
 * circle, 403 below the role), then one LedgerService call. Balances are for every member;
 * transfers and memos for treasurers and organizers; reversals and the check for organizers.
 */
/** Transfer kinds the generic reversal takes (a reversal itself is refused by the database, AR005). */
const GENERICALLY_REVERSIBLE = new Set(['adjustment']);

const OWN_FLOW: Record<string, string> = {
  payout: 'mark the payout returned (POST …/payouts/{payoutId}/return)',
  contribution: 'a contribution is refunded or disputed through its payment provider, or corrected with an adjustment',
  refund: 'it belongs to the contribution it refunded',
  dispute: 'it belongs to the contribution it disputed',
};

@Injectable()
export class LedgerApiService {
  constructor(
    private readonly access: CircleAccess,
    private readonly ledger: LedgerService,
    private readonly longReads: LongReads,
    private readonly limits: AmountLimits,
    private readonly tx: TransactionHost,
  ) {
    // An adjustment's Idempotency-Key record names its transfer (createAdjustment): a replay
    // is that transfer as the first answer showed it, a new transfer never reversed yet.
    registerTransferReplay(async (transferId) => {
      const found = await this.ledger.transferById(transferId);
      if (!found) throw new Error(`the transfer ${transferId} an idempotency record names does not exist`);
      return toTransferResponse(found.transfer, found.currency, null);
    });
  }

  async listAccounts(userId: string, circleId: string): Promise<LedgerAccountsResponse> {
    const ctx = await this.access.require(circleId, userId);
    return toLedgerAccountsResponse(circleId, ctx.currency, await this.ledger.balances(circleId));
  }

  async listTransfers(userId: string, circleId: string, limit: number, cursor?: string): Promise<Page<TransferSummaryResponse>> {
    const ctx = await this.access.require(circleId, userId);
    const key = decodeCursor(cursor, 2);
    const after = key && typeof key[0] === 'string' && typeof key[1] === 'string' ? { createdAt: key[0], id: key[1] } : undefined;
    if (key && !after) throw new DomainError('validation-failed', 'cursor is not valid', { errors: [{ field: 'cursor', message: 'cursor is not valid' }] });
    const rows = await this.ledger.transfers(circleId, limit + 1, after);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map((t) => toTransferSummaryResponse(t, ctx.currency)),
      nextCursor: rows.length > limit && last ? encodeCursor([last.cursorKey, last.id]) : null,
    };
  }

  async getTransfer(userId: string, circleId: string, transferId: string): Promise<TransferResponse> {
    const ctx = await this.access.require(circleId, userId);
    const found = await this.ledger.transfer(circleId, transferId);
    if (!found) throw DomainError.notFound('transfer');
    return toTransferResponse(found.transfer, ctx.currency, found.reversedBy);
  }

  /**
   * in: adjustments → pool (cash already held); out: pool → adjustments (a correction). Up to
   * the circle's single-amount limit; above it, through a pending adjustment a second person
   * approves (src/ledger/pending/).
   */
  async createAdjustment(userId: string, circleId: string, dto: CreateAdjustmentDto): Promise<TransferResponse> {
    // A fresh id: retries are recognised by the Idempotency-Key, which replays this response.
    const input = { transferId: randomUUID(), circleId, kind: 'adjustment', memo: dto.memo ?? null, entries: adjustmentEntries(dto.direction, BigInt(dto.amount)), metadata: { direction: dto.direction } };
    const instead = 'Ask for it at POST …/ledger/pending-adjustments: a second treasurer or organizer approves it.';
    if (this.tx.inTransaction && inOneWriteAttempt()) {
      // Everything in one write: the role check, the limit check, the key's record, the posting
      // and COMMIT. A refusal aborts the transaction; the ordinary path below then answers it.
      const access = this.access.requireAhead(circleId, userId);
      void this.limits.checkAhead(circleId, dto.amount, 'An adjustment', instead).catch(() => undefined);
      if (!recordTransferAhead(input.transferId)) throw new Error('an adjustment tried in one write cannot record ahead');
      const posted = await this.ledger.postAndCommit(input);
      return toTransferResponse(posted, (await access).currency, null);
    }
    const ctx = await this.access.require(circleId, userId);
    if (!this.tx.inTransaction) {
      await this.limits.requireWithin(circleId, dto.amount, 'An adjustment', instead);
      return toTransferResponse(await this.ledger.post(input), ctx.currency, null);
    }
    // After the access check, one write: the limit check, the Idempotency-Key's record (naming
    // the transfer), the posting and COMMIT. Above the limit PostgreSQL aborts the transaction, and the limit's
    // refusal is the answer, whatever the posting reports.
    const withinLimit = this.limits.checkAhead(circleId, dto.amount, 'An adjustment', instead);
    const posting = recordTransferAhead(input.transferId) ? this.ledger.postAndCommit(input) : this.ledger.post(input);
    await withinLimit.catch(async (error: unknown) => {
      await posting.catch(() => undefined);
      throw error;
    });
    return toTransferResponse(await posting, ctx.currency, null);
  }

  /**
   * The generic reversal is for transfers no other record stands behind: adjustments. A
   * payout is returned through the payout, a contribution refunded or disputed through its
   * own flow, so the payout or contribution changes state together with the books; reversing
   * their transfers here would leave those records out of step with the money.
   */
  async reverseTransfer(userId: string, circleId: string, transferId: string, dto: ReverseTransferDto): Promise<TransferResponse> {
    const ctx = await this.access.require(circleId, userId);
    const found = await this.ledger.transfer(circleId, transferId);
    if (!found) throw DomainError.notFound('transfer');
    if (!GENERICALLY_REVERSIBLE.has(found.transfer.kind) && found.transfer.reverses === null) {
      throw new DomainError('invalid-state', `A ${found.transfer.kind} transfer is not reversed here: ${OWN_FLOW[found.transfer.kind] ?? 'it belongs to the record that posted it'}.`);
    }
    const posted = await this.ledger.reverse(circleId, transferId, randomUUID(), { memo: dto.memo ?? null });
    return toTransferResponse(posted, ctx.currency, null);
  }

  async checkLedger(userId: string, circleId: string): Promise<LedgerCheckResponse> {
    await this.access.require(circleId, userId);
    // A long read: on the long-read pool, one at a time per user (src/database/long-reads.ts).
    const result = await this.longReads.run(userId, (manager) => runLedgerCheck((sql, params) => manager.query(sql, params), circleId));
    return toLedgerCheckResponse(result, new Date());
  }
}
