import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CircleAccess } from '../circles/circle-access.service.js';
import { CircleFactsService } from '../circles/circle-facts.service.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { TransactionHost } from '../database/transaction-host.js';
import { DuplicateDigester } from './duplicate-digester.js';
import { VaultAttachment } from './vault-attachment.entity.js';
import { VaultCipher } from './vault-cipher.js';
import { VaultEntry } from './vault-entry.entity.js';
import { VAULT_FIELDS, type VaultFields } from './vault-fields.js';
import { VaultRead } from './vault-read.entity.js';

export interface VaultContents extends VaultFields {
  updatedAt: Date;
}

export interface AttachmentRecord {
  id: string;
  contentType: string;
  sizeBytes: number;
  createdAt: Date;
}

const toAttachmentRecord = (a: VaultAttachment): AttachmentRecord => ({ id: a.id, contentType: a.contentType, sizeBytes: a.sizeBytes, createdAt: a.createdAt });

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
    private readonly digester: DuplicateDigester,
  ) {}

  /** Replaces all vault fields of a recipient under a fresh data key; all-null removes the row. */
  async put(userId: string, circleId: string, recipientId: string, fields: VaultFields): Promise<void> {
    await this.access.require(circleId, userId, 'organizer');
    await this.store(circleId, recipientId, fields);
  }

  /**
   * `put` for callers that have already decided who may write: the requests module, for a
   * requester without an account (intake link, status link) or a member's referral. The
   * subject id is a recipient id or a request's vault subject id; a roster request that is
   * approved becomes the recipient with that same id, so its sealed fields need no copy.
   */
  async store(circleId: string, subjectId: string, fields: VaultFields): Promise<void> {
    if (VAULT_FIELDS.every((f) => fields[f] === null)) {
      await this.tx.manager.delete(VaultEntry, { circleId, recipientId: subjectId });
      return;
    }
    const dataKey = this.cipher.newDataKey();
    let written: unknown[];
    try {
      const sealed = VAULT_FIELDS.map((f) => (fields[f] === null ? null : this.cipher.sealField(dataKey, subjectId, f, fields[f])));
      written = await this.tx.manager.query(
        `INSERT INTO vault_entries (recipient_id, circle_id, contact, payout_handle, note, wrapped_key, key_id, key_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1)
         ON CONFLICT (recipient_id) DO UPDATE
            SET contact = EXCLUDED.contact, payout_handle = EXCLUDED.payout_handle, note = EXCLUDED.note,
                wrapped_key = EXCLUDED.wrapped_key, key_id = EXCLUDED.key_id, key_version = EXCLUDED.key_version, updated_at = now()
          WHERE vault_entries.circle_id = EXCLUDED.circle_id
        RETURNING recipient_id`,
        [subjectId, circleId, ...sealed, this.cipher.wrapKey(dataKey, subjectId), this.cipher.keyId],
      );
    } finally {
      dataKey.fill(0);
    }
    // The duplicate checks' digests follow every change of the fields (docs/trust.md).
    if (written.length > 0) await this.digester.replace(this.tx.manager, circleId, subjectId, fields);
  }

  /**
   * After DUPLICATE_KEY changed: opens up to `limit` vault rows whose digests were made under
   * another key (or none yet) and digests them again under the current one, skipping rows
   * another run holds. Returns how many were done; the job calls it until it returns less.
   */
  async redigestStale(limit = 200): Promise<number> {
    return this.tx.run(async (manager) => {
      const stale = await manager
        .createQueryBuilder(VaultEntry, 'v')
        .where('v.digest_key_id IS DISTINCT FROM :keyId AND (v.contact IS NOT NULL OR v.payout_handle IS NOT NULL)', { keyId: this.digester.keyId })
        .orderBy('v.recipient_id')
        .limit(limit)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      for (const entry of stale) await this.digester.replace(manager, entry.circleId, entry.recipientId, this.open(entry, entry.recipientId));
      return stale.length;
    });
  }

  /**
   * Changes some fields and keeps the others, for the person themself through their status
   * link: the old values are opened only to be sealed again under a fresh key, never returned,
   * so this is not a read and is not logged as one. False when nothing is stored.
   */
  async update(circleId: string, subjectId: string, changes: Partial<VaultFields>): Promise<boolean> {
    return this.tx.run(async (manager) => {
      const entry = await manager.createQueryBuilder(VaultEntry, 'v').setLock('pessimistic_write').where('v.circle_id = :circleId AND v.recipient_id = :subjectId', { circleId, subjectId }).getOne();
      if (!entry) return false;
      const current = this.open(entry, subjectId);
      await this.store(circleId, subjectId, { ...current, ...changes });
      return true;
    });
  }

  /** Deletes a subject's vault row (its key with it) for a caller that has already checked access; true when one existed. */
  async discard(circleId: string, subjectId: string): Promise<boolean> {
    const result = await this.tx.manager.delete(VaultEntry, { circleId, recipientId: subjectId });
    return (result.affected ?? 0) > 0;
  }

  /**
   * Seals a file under its own key into the subject's vault, creating an empty vault row for
   * it if there is none (the file is deleted with that row: erasure, retention purge). The
   * caller has checked who may attach, the type and the size.
   */
  async attach(circleId: string, subjectId: string, contentType: string, content: Buffer): Promise<AttachmentRecord> {
    return this.tx.run(async (manager) => {
      const dataKey = this.cipher.newDataKey();
      try {
        await manager.query(
          `INSERT INTO vault_entries (recipient_id, circle_id, wrapped_key, key_id, key_version) VALUES ($1, $2, $3, $4, 1) ON CONFLICT (recipient_id) DO NOTHING`,
          [subjectId, circleId, this.cipher.wrapKey(dataKey, subjectId), this.cipher.keyId],
        );
      } finally {
        dataKey.fill(0);
      }
      const id = randomUUID();
      const fileKey = this.cipher.newDataKey();
      try {
        await manager.insert(VaultAttachment, {
          id,
          circleId,
          subjectId,
          contentType,
          sizeBytes: content.length,
          sealed: this.cipher.sealFile(fileKey, subjectId, id, content),
          wrappedKey: this.cipher.wrapKey(fileKey, `${subjectId}/${id}`),
        });
      } finally {
        fileKey.fill(0);
      }
      return toAttachmentRecord(await manager.findOneByOrFail(VaultAttachment, { id }));
    });
  }

  /** What files a subject has (type, size, when): never their content. Callers check access. */
  async listAttachments(circleId: string, subjectId: string): Promise<AttachmentRecord[]> {
    const rows = await this.tx.manager.find(VaultAttachment, { select: { id: true, contentType: true, sizeBytes: true, createdAt: true }, where: { circleId, subjectId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(toAttachmentRecord);
  }

  /** Decrypts one file for an organizer and records the read in the same transaction; null when there is no such file. */
  async readAttachment(userId: string, circleId: string, subjectId: string, attachmentId: string): Promise<{ contentType: string; content: Buffer } | null> {
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId, 'organizer');
      const row = await manager.findOneBy(VaultAttachment, { id: attachmentId, circleId, subjectId });
      if (!row) return null;
      await manager.insert(VaultRead, { id: randomUUID(), circleId, recipientId: subjectId, readBy: userId, readAt: new Date() });
      const fileKey = this.cipher.unwrapKey(row.wrappedKey, `${subjectId}/${attachmentId}`);
      try {
        return { contentType: row.contentType, content: this.cipher.openFile(fileKey, subjectId, attachmentId, row.sealed) };
      } finally {
        fileKey.fill(0);
      }
    });
  }

  /** Deletes a subject's files (a request was decided); the caller has checked access. Returns how many. */
  async discardAttachments(circleId: string, subjectId: string): Promise<number> {
    const result = await this.tx.manager.delete(VaultAttachment, { circleId, subjectId });
    return result.affected ?? 0;
  }

  /** Decrypts a recipient's vault and records the read in the same transaction; null when nothing is stored. */
  async read(userId: string, circleId: string, recipientId: string): Promise<VaultContents | null> {
    return this.tx.run(async (manager) => {
      await this.access.require(circleId, userId, 'organizer');
      const entry = await manager.findOneBy(VaultEntry, { circleId, recipientId });
      if (!entry) return null;
      await manager.insert(VaultRead, { id: randomUUID(), circleId, recipientId, readBy: userId, readAt: new Date() });
      return { ...this.open(entry, recipientId), updatedAt: entry.updatedAt };
    });
  }

  private open(entry: VaultEntry, subjectId: string): VaultFields {
    const dataKey = this.cipher.unwrapKey(entry.wrappedKey, subjectId);
    try {
      const open = (sealed: Buffer | null, field: (typeof VAULT_FIELDS)[number]) => (sealed === null ? null : this.cipher.openField(dataKey, subjectId, field, sealed));
      return { contact: open(entry.contact, 'contact'), payoutHandle: open(entry.payoutHandle, 'payoutHandle'), note: open(entry.note, 'note') };
    } finally {
      dataKey.fill(0);
    }
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
