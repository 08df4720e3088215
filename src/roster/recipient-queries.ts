import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { DomainError } from '../common/errors/domain-error.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { TransactionHost } from '../database/transaction-host.js';
import { toRecipientResponse, type RecipientResponse } from './dto/recipient.response.js';
import type { RecipientStatus } from './recipient-status.js';
import { Recipient } from './recipient.entity.js';

export interface SlotCandidate {
  id: string;
  status: RecipientStatus;
  position: number | null;
}

const SLOT_ORDER: Partial<Record<RecipientStatus, number>> = { active: 0, offered: 1, waitlisted: 2 };

/** Reads of the roster. Callers check access first. */
@Injectable()
export class RecipientQueries {
  constructor(private readonly tx: TransactionHost) {}

  async findOrFail(circleId: string, recipientId: string): Promise<Recipient> {
    const recipient = await this.tx.manager.findOneBy(Recipient, { id: recipientId, circleId });
    if (!recipient) throw DomainError.notFound('recipient');
    return recipient;
  }

  /** Alias by id for the recipients of the circle among `recipientIds`, in one query; ids of other circles are left out. */
  async aliases(circleId: string, recipientIds: readonly string[]): Promise<Map<string, string>> {
    const ids = [...new Set(recipientIds)];
    if (ids.length === 0) return new Map();
    const rows = await this.tx.manager.find(Recipient, { select: { id: true, alias: true }, where: { circleId, id: In(ids) } });
    return new Map(rows.map((r) => [r.id, r.alias]));
  }

  /** The recipient, row-locked until the transaction ends (the caller runs one). */
  async lockOrFail(circleId: string, recipientId: string): Promise<Recipient> {
    const recipient = await this.tx.manager
      .createQueryBuilder(Recipient, 'r')
      .setLock('pessimistic_write')
      .where('r.id = :recipientId AND r.circle_id = :circleId', { recipientId, circleId })
      .getOne();
    if (!recipient) throw DomainError.notFound('recipient');
    return recipient;
  }

  async toResponse(recipient: Recipient): Promise<RecipientResponse> {
    if (recipient.status !== 'waitlisted') return toRecipientResponse(recipient, null);
    const ahead = await this.tx.manager
      .createQueryBuilder(Recipient, 'w')
      .where('w.circle_id = :circleId AND w.status = :status', { circleId: recipient.circleId, status: 'waitlisted' })
      .andWhere('(w.queue_key, w.id) < (:key::bigint, :id::uuid)', { key: recipient.queueKey, id: recipient.id })
      .getCount();
    return toRecipientResponse(recipient, ahead + 1);
  }

  /** The circle's waitlist in queue order (ids only): small enough to read whole. */
  async waitlist(circleId: string, lock = false): Promise<{ id: string; queueKey: string }[]> {
    const qb = this.tx.manager
      .createQueryBuilder(Recipient, 'w')
      .select(['w.id', 'w.queueKey'])
      .where('w.circle_id = :circleId AND w.status = :status', { circleId, status: 'waitlisted' })
      .orderBy('w.queue_key', 'ASC')
      .addOrderBy('w.id', 'ASC');
    if (lock) qb.setLock('pessimistic_write');
    return qb.getMany();
  }

  /**
   * A page of the roster. Waitlisted recipients list in queue order; any other view lists
   * by arrival. The cursor names its order so it cannot be replayed against the other.
   */
  async page(circleId: string, status: RecipientStatus | undefined, limit: number, cursor?: string): Promise<Page<RecipientResponse>> {
    const byQueue = status === 'waitlisted';
    const after = decodeCursor(cursor, 3);
    if (after && after[0] !== (byQueue ? 'q' : 'c')) throw new DomainError('validation-failed', 'cursor is not valid', { errors: [{ field: 'cursor', message: 'cursor is not valid' }] });
    const qb = this.tx.manager.createQueryBuilder(Recipient, 'r').where('r.circle_id = :circleId', { circleId }).limit(limit + 1);
    if (status) qb.andWhere('r.status = :status', { status });
    if (byQueue) {
      qb.orderBy('r.queue_key', 'ASC').addOrderBy('r.id', 'ASC');
      if (after) qb.andWhere('(r.queue_key, r.id) > (:key::bigint, :id::uuid)', { key: after[1], id: after[2] });
    } else {
      qb.orderBy('r.created_at', 'ASC').addOrderBy('r.id', 'ASC');
      if (after) qb.andWhere('(r.created_at, r.id) > (:at::timestamptz, :id::uuid)', { at: after[1], id: after[2] });
    }
    const rows = await qb.getMany();
    const positions = rows.some((r) => r.status === 'waitlisted') ? new Map((await this.waitlist(circleId)).map((w, i) => [w.id, i + 1])) : new Map<string, number>();
    return toPage(
      rows,
      limit,
      (r) => (byQueue ? ['q', r.queueKey, r.id] : ['c', r.createdAt.toISOString(), r.id]),
      (r) => toRecipientResponse(r, positions.get(r.id) ?? null),
    );
  }

  /**
   * Active, then offered, then waitlisted, each in queue order (contract for cycles).
   * Paused and exited recipients are left out: neither can take a slot now.
   */
  async forSlots(circleId: string): Promise<SlotCandidate[]> {
    const rows = await this.tx.manager
      .createQueryBuilder(Recipient, 'r')
      .select(['r.id', 'r.status', 'r.queueKey'])
      .where('r.circle_id = :circleId AND r.status IN (:...statuses)', { circleId, statuses: Object.keys(SLOT_ORDER) })
      .orderBy('r.queue_key', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .getMany();
    let position = 0;
    return rows
      .sort((a, b) => SLOT_ORDER[a.status]! - SLOT_ORDER[b.status]!)
      .map((r) => ({ id: r.id, status: r.status, position: r.status === 'waitlisted' ? ++position : null }));
  }
}
