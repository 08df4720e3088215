import { Check, Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';

/**
 * The last sequence number given out per circle. Emitting takes this row's lock until the
 * transaction ends, so a circle's events commit in sequence order: a reader that has seen
 * sequence n never later finds an n − 1 it missed.
 */
@Entity('outbox_heads')
@Check('ck_outbox_heads_sequence', `sequence >= 1`)
export class OutboxHead {
  @PrimaryColumn('uuid', { name: 'circle_id', primaryKeyConstraintName: 'pk_outbox_heads' })
  @ForeignKey('circles', { name: 'fk_outbox_heads_circle', onDelete: 'RESTRICT' })
  circleId: string;

  @Column('bigint')
  sequence: string;
}
