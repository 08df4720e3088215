import { createHmac } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { identityValues, type IdentityKind } from './identity-normalize.js';
import type { VaultFields } from './vault-fields.js';

/**
 * Keyed digests for the duplicate checks (docs/trust.md): HMAC-SHA-256 under DUPLICATE_KEY of
 * a normalized handle, phone or email. Without the key a digest cannot be tested against a
 * guessed phone number, and the key never leaves the server.
 */
export class DuplicateDigester {
  /** An HMAC fingerprint of the key, stored with each digest; never the key. */
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    this.keyId = createHmac('sha256', key).update('arvut duplicate key id').digest('hex').slice(0, 32);
  }

  digest(kind: IdentityKind, normalized: string): Buffer {
    return createHmac('sha256', this.key).update(`${kind}\u0000${normalized}`).digest();
  }

  /**
   * Replaces a vault subject's digests with those of `fields`, in the caller's transaction,
   * and records the key they were made under. The vault row must exist (the foreign key).
   */
  async replace(manager: EntityManager, circleId: string, subjectId: string, fields: Pick<VaultFields, 'contact' | 'payoutHandle'>): Promise<void> {
    await manager.query(`DELETE FROM duplicate_digests WHERE subject_id = $1`, [subjectId]);
    const values = identityValues(fields);
    if (values.length > 0) {
      await manager.query(
        `INSERT INTO duplicate_digests (subject_id, kind, digest, circle_id, key_id)
         SELECT $1, k, d, $2, $3 FROM unnest($4::varchar[], $5::bytea[]) AS v(k, d)`,
        [subjectId, circleId, this.keyId, values.map((v) => v.kind), values.map((v) => this.digest(v.kind, v.value))],
      );
    }
    await manager.query(`UPDATE vault_entries SET digest_key_id = $2 WHERE recipient_id = $1`, [subjectId, this.keyId]);
  }
}
