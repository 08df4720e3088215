import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A request that was carried out under an Idempotency-Key, with the response to replay.
 * Written in the same transaction as the request's effect (docs/idempotency.md).
 */
@Entity('idempotency_keys')
@Index('idx_idempotency_keys_expires_at', ['expiresAt'])
@Check('ck_idempotency_keys_key', `key ~ '^[ -~]{1,255}$'`)
@Check('ck_idempotency_keys_response', 'num_nonnulls(response_body, response_transfer_id) = 1')
export class IdempotencyKey {
  /** The principal (users.id) the key belongs to: keys of different callers never collide. */
  @PrimaryColumn('uuid', { name: 'principal_id', primaryKeyConstraintName: 'pk_idempotency_keys' })
  principalId: string;

  @PrimaryColumn('varchar', { length: 255, primaryKeyConstraintName: 'pk_idempotency_keys' })
  key: string;

  /** Hex SHA-256 of method, path and canonical body: tells a replay from a reuse. */
  @Column('char', { name: 'request_hash', length: 64 })
  requestHash: string;

  @Column('smallint', { name: 'response_status' })
  responseStatus: number;

  /** The JSON body exactly as sent, so a replay is byte-for-byte the same; or null when the record names a transfer instead. */
  @Column('text', { name: 'response_body', nullable: true })
  responseBody: string | null;

  /**
   * The transfer the request created, when its response is that transfer as first returned
   * (a record sent ahead of the posting, with COMMIT: docs/idempotency.md). Exactly one of
   * this and responseBody is set.
   */
  @Column('uuid', { name: 'response_transfer_id', nullable: true })
  responseTransferId: string | null;

  @Column('text', { name: 'response_location', nullable: true })
  responseLocation: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;
}
