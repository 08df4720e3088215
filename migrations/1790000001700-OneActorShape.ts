import type { MigrationInterface, QueryRunner } from 'typeorm';

// Every history table names who made a change the same way (docs/design.md "State
// machines"; src/common/actor.ts): `actor` is user, link (the person a private link was given
// to), provider (a verified payment event) or job, and `actor_user_id` is set exactly when
// the actor is a user. Recipients' history called its column by_user_id; payouts' and
// requests' had no actor kind. Rows written before this migration get their kind from what
// wrote them: a user when one is recorded; otherwise the person's link for the moves only a
// link makes without a user (a recipient's exit, a payout's or request's acknowledgement, a
// request opened or withdrawn), and a job for the rest (offer expiry, week generation).

const ACTOR_CHECK = `actor IN ('user', 'link', 'provider', 'job')`;
const USER_ACTOR_CHECK = `(actor = 'user') = (actor_user_id IS NOT NULL)`;

/** Adds the `actor` column to a history table whose old rows need a backfill (its append-only triggers paused for it). */
function addActor(table: string, linkWhen: string): string[] {
  return [
    `ALTER TABLE "${table}" ADD "actor" character varying(16)`,
    `ALTER TABLE "${table}" DISABLE TRIGGER USER`,
    `UPDATE "${table}" SET actor = CASE WHEN actor_user_id IS NOT NULL THEN 'user' WHEN ${linkWhen} THEN 'link' ELSE 'job' END`,
    `ALTER TABLE "${table}" ENABLE TRIGGER USER`,
    `ALTER TABLE "${table}" ALTER COLUMN "actor" SET NOT NULL`,
    `ALTER TABLE "${table}" ADD CONSTRAINT "ck_${table}_actor" CHECK (${ACTOR_CHECK})`,
    `ALTER TABLE "${table}" ADD CONSTRAINT "ck_${table}_user_actor" CHECK (${USER_ACTOR_CHECK})`,
  ];
}

const dropActor = (table: string): string[] => [
  `ALTER TABLE "${table}" DROP CONSTRAINT "ck_${table}_user_actor"`,
  `ALTER TABLE "${table}" DROP CONSTRAINT "ck_${table}_actor"`,
  `ALTER TABLE "${table}" DROP COLUMN "actor"`,
];

/** Pledges and contributions had the columns already, with a narrower list of kinds. */
const widenActor = (table: string, kinds: string): string[] => [
  `ALTER TABLE "${table}" DROP CONSTRAINT "ck_${table}_actor"`,
  `ALTER TABLE "${table}" ADD CONSTRAINT "ck_${table}_actor" CHECK (${kinds})`,
];

export class OneActorShape1790000001700 implements MigrationInterface {
  name = 'OneActorShape1790000001700';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE "recipient_status_history" RENAME COLUMN "by_user_id" TO "actor_user_id"`,
      // Its `at` gets the default the other histories have (src/common/state-history.entity.ts).
      `ALTER TABLE "recipient_status_history" ALTER COLUMN "at" SET DEFAULT now()`,
      ...addActor('recipient_status_history', `to_status = 'exited'`),
      ...addActor('payout_history', `to_status = 'acknowledged'`),
      ...addActor('request_history', `to_status IN ('submitted', 'withdrawn', 'acknowledged')`),
      ...widenActor('pledge_history', ACTOR_CHECK),
      ...widenActor('contribution_history', ACTOR_CHECK),
    ];
    for (const sql of statements) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      ...widenActor('contribution_history', `actor IN ('user', 'provider')`),
      ...widenActor('pledge_history', `actor IN ('user', 'provider', 'job')`),
      ...dropActor('request_history'),
      ...dropActor('payout_history'),
      ...dropActor('recipient_status_history'),
      `ALTER TABLE "recipient_status_history" ALTER COLUMN "at" DROP DEFAULT`,
      `ALTER TABLE "recipient_status_history" RENAME COLUMN "actor_user_id" TO "by_user_id"`,
    ];
    for (const sql of statements) await queryRunner.query(sql);
  }
}
