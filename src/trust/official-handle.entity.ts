import { Check, Column, CreateDateColumn, Entity, ForeignKey, PrimaryColumn, Unique } from 'typeorm';
import type { OfficialHandleMethod } from './official-handle-method.js';

/**
 * Where donors send the circle's money: the circle's own handles, not personal data
 * (docs/trust.md). `normalized` is what a handle check compares (src/privacy/identity-normalize.ts).
 */
@Entity({ name: 'official_handles' })
@Unique('uq_official_handles_circle_handle', ['circleId', 'method', 'normalized'])
@Check('ck_official_handles_method', `method IN ('cashapp', 'venmo', 'zelle', 'paypal', 'bank', 'other')`)
@Check('ck_official_handles_handle', `char_length(handle) BETWEEN 1 AND 100 AND char_length(normalized) BETWEEN 1 AND 100`)
export class OfficialHandle {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_official_handles' })
  id: string;

  @Column({ name: 'circle_id', type: 'uuid' })
  @ForeignKey('circles', { name: 'fk_official_handles_circle', onDelete: 'CASCADE' })
  circleId: string;

  @Column({ type: 'varchar', length: 16 })
  method: OfficialHandleMethod;

  /** As the organizer typed it, for display. */
  @Column({ type: 'varchar', length: 100 })
  handle: string;

  @Column({ type: 'varchar', length: 100 })
  normalized: string;

  @Column({ name: 'added_by', type: 'uuid' })
  addedBy: string;

  @CreateDateColumn({ name: 'added_at', type: 'timestamptz' })
  addedAt: Date;
}
