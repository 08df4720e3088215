import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CircleAccess } from '../circles/circle-access.service.js';
import { CircleFactsService } from '../circles/circle-facts.service.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { TransactionHost } from '../database/transaction-host.js';
import { VaultCipher } from './vault-cipher.js';
import { VaultEntry } from './vault-entry.entity.js';
import { VAULT_FIELDS, type VaultFields } from './vault-fields.js';
import { VaultRead } from './vault-read.entity.js';

export interface VaultContents extends VaultFields {
  updatedAt: Date;
}

export interface VaultReadRecord {
  id: string;
  readBy: string;
  readAt: Date;
}

/**
 * The only code that sees vault plaintext. Callers (the roster) resolve the recipient
 * first; every method taking a user checks that the user organizes the circle, because
 * only organizers may write or read vault contents (docs/design.md "Privacy").
 */
@Injectable()
export class PrivacyService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly access: CircleAccess,
    private readonly cipher: VaultCipher,
    private readonly circles: CircleFactsService,
  ) {}

  /** Replaces all vault fields of a recipient under a fresh data key; all-null removes the row. */
  async put(userId: string, circleId: string, recipientId: string, fields: VaultFields): Promise<void> {
    await this.access.require(circleId, userId, 'organizer');
    if (VAULT_FIELDS.every((f) => fields[f] === null)) {
      await this.tx.manager.delete(VaultEntry, { circleId, recipientId });
      return;
    }
    const dataKey = this.cipher.newDataKey();
    try {
      const sealed = VAULT_FIELDS.map((f) => (fields[f] === null ? null : this.cipher.sealField(dataKey, recipientId, f, fields[f])));
      await this.tx.manager.query(
        `INSERT INTO vault_entries (recipient_id, circle_id, contact, payout_handle, note, wrapped_key, key_id, key_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1)
         ON CONFLICT (recipient_id) DO UPDATE
            SET contact = EXCLUDED.contact, payout_handle = EXCLUDED.payout_handle, note = EXCLUDED.note,
                wrapped_key = EXCLUDED.wrapped_key, key_id = EXCLUDED.key_id, key_version = EXCLUDED.key_version, updated_at = now()
          WHERE vault_entries.circle_id = EXCLUDED.circle_id`,
        [recipientId, circleId, ...sealed, this.cipher.wrapKey(dataKey, recipientId), this.cipher.keyId],
      );
    } finally {
      dataKey.fill(0);
    }
  }

  /** Decrypts a recipient's vault and records the read in the same transaction; null when nothing is stored. */
  async read(userId: string, circleId: string, recipientId: string): Promise<VaultContents | null> {
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId, 'organizer');
      const entry = await manager.findOneBy(VaultEntry, { circleId, recipientId });
      if (!entry) return null;
      await manager.insert(VaultRead, { id: randomUUID(), circleId, recipientId, readBy: userId, readAt: new Date() });
      const dataKey = this.cipher.unwrapKey(entry.wrappedKey, recipientId);
      try {
        const open = (sealed: Buffer | null, field: (typeof VAULT_FIELDS)[number]) => (sealed === null ? null : this.cipher.openField(dataKey, recipientId, field, sealed));
        return { contact: open(entry.contact, 'contact'), payoutHandle: open(entry.payoutHandle, 'payoutHandle'), note: open(entry.note, 'note'), updatedAt: entry.updatedAt };
      } finally {
        dataKey.fill(0);
      }
    });
  }

  /** Who read a recipient's vault and when, newest first. */
  async listReads(userId: string, circleId: string, recipientId: string, limit: number, cursor?: string): Promise<Page<VaultReadRecord>> {
    await this.access.require(circleId, userId, 'organizer');
    const after = decodeCursor(cursor, 2);
    const qb = this.tx.manager
      .createQueryBuilder(VaultRead, 'r')
      .where('r.circle_id = :circleId AND r.recipient_id = :recipientId', { circleId, recipientId })
      .orderBy('r.read_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .limit(limit + 1);
    if (after) qb.andWhere('(r.read_at, r.id) < (:at::timestamptz, :id::uuid)', { at: after[0], id: after[1] });
    return toPage(await qb.getMany(), limit, (r) => [r.readAt.toISOString(), r.id], (r) => ({ id: r.id, readBy: r.readBy, readAt: r.readAt }));
  }

  /** Erasure: deleting the row destroys the wrapped data key with the ciphertexts. True when a row existed. */
  async erase(userId: string, circleId: string, recipientId: string): Promise<boolean> {
    await this.access.require(circleId, userId, 'organizer');
    const result = await this.tx.manager.delete(VaultEntry, { circleId, recipientId });
    return (result.affected ?? 0) > 0;
  }

  /**
   * Starts the retention clock: called by the roster inside the exit transition, which has
   * already checked the organizer's access.
   */
  async markExited(circleId: string, recipientId: string, at: Date): Promise<void> {
    await this.tx.manager.update(VaultEntry, { circleId, recipientId }, { exitedAt: at });
  }

  /**
   * Retention: deletes the vault rows of recipients who exited more than their circle's
   * `retentionDays` before `now`. Scheduled by the jobs module; returns how many were purged.
   * The setting is read from the circles module at every run (one batched read for all the
   * circles with exited recipients), so a changed retention applies at the next run without
   * copying it into every vault row.
   */
  async purgeExpired(now: Date): Promise<number> {
    // Retention is at least one day, so rows from the last day cannot be due anywhere.
    const waiting: { circle_id: string }[] = await this.tx.manager.query(
      `SELECT DISTINCT circle_id FROM vault_entries WHERE exited_at < $1::timestamptz - interval '1 day'`,
      [now],
    );
    if (waiting.length === 0) return 0;
    const circles = await this.circles.factsOf(waiting.map((w) => w.circle_id));
    const ids = [...circles.keys()];
    const [, purged] = (await this.tx.manager.query(
      `DELETE FROM vault_entries v
        USING unnest($2::uuid[], $3::int[]) AS r(circle_id, retention_days)
        WHERE v.circle_id = r.circle_id
          AND v.exited_at IS NOT NULL
          AND v.exited_at < $1::timestamptz - make_interval(days => r.retention_days)`,
      [now, ids, ids.map((id) => circles.get(id)!.retentionDays)],
    )) as [unknown[], number];
    return purged;
  }
}
