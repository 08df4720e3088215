import { Column } from 'typeorm';
import type { ActorKind } from './actor.js';

/**
 * The columns every state machine's history table shares (docs/design.md "State machines"):
 * the circle, the move (from, to), who made it (actor, and the user when it is one) and
 * when. Each history entity extends it with its own id, its record's id and its checks
 * (`ck_<table>_actor` = ACTOR_CHECK and `ck_<table>_user_actor` = USER_ACTOR_CHECK from
 * src/common/actor.ts, among them). Not an entity itself: TypeORM copies the columns into
 * each table.
 */
export abstract class StateHistory<S extends string> {
  @Column({ name: 'circle_id', type: 'uuid' })
  circleId: string;

  /** NULL for the row that records the record's creation. */
  @Column({ name: 'from_status', type: 'varchar', length: 16, nullable: true })
  fromStatus: S | null;

  @Column({ name: 'to_status', type: 'varchar', length: 16 })
  toStatus: S;

  /** Who made the change (src/common/actor.ts). */
  @Column({ type: 'varchar', length: 16 })
  actor: ActorKind;

  /** Set exactly when `actor` is a user. */
  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;
}
