import type { MigrationInterface, QueryRunner } from 'typeorm';

// A request that sends all its statements in one write (docs/idempotency.md, "One write";
// docs/performance.md) cannot read the answer of one statement before sending the next, so
// the two decisions it would otherwise make in the app are made here, by statements that
// abort the transaction when the answer is no:
// - idempotency_claim_fresh: the Idempotency-Key claim of src/common/idempotency/, refusing
//   (AR012) unless the key is free: no request with it in flight, no live record of it.
// - circle_access_require: takes the member's shared lock, then reads the caller's role in
//   the circle, refusing (AR013) unless it is one of the roles given; the row it returns is the
//   one the access check reads (src/circles/circle-access-prefetch.ts, MEMBERSHIP_SHARED and
//   CIRCLE_ACCESS).
// - session_require_live: given how many live sessions match the caller's (the statement that
//   calls it counts them with src/auth/sessions.service.ts's own condition), refuses (AR014)
//   unless it is one: the session check the guard leaves to such a request.
// Any refusal only means "not in one write": the app rolls back and runs the request
// the ordinary way, which gives the refusal its own answer (replay, 401, 409, 422, 403, 404).

const CLAIM_FRESH = `CREATE FUNCTION idempotency_claim_fresh(p_principal_id uuid, p_key text, p_seed bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtextextended(p_principal_id::text || ':' || p_key, p_seed)) THEN
    RAISE EXCEPTION 'a request with this Idempotency-Key is in flight' USING ERRCODE = 'AR012';
  END IF;
  DELETE FROM idempotency_keys k WHERE k.principal_id = p_principal_id AND k.key = p_key AND k.expires_at <= now();
  IF EXISTS (SELECT FROM idempotency_keys k WHERE k.principal_id = p_principal_id AND k.key = p_key) THEN
    RAISE EXCEPTION 'this Idempotency-Key has a record' USING ERRCODE = 'AR012';
  END IF;
END
$$`;

// $2 is a user id or an API key's id, as in CIRCLE_ACCESS. The lock is MEMBERSHIP_SHARED's (same
// key: the ids' text and the seed the app passes). VOLATILE, so the read after it takes its own
// snapshot once the lock is held: a change of role under way has committed by then.
const ACCESS_REQUIRE = `CREATE FUNCTION circle_access_require(p_circle_id uuid, p_principal_id uuid, p_roles text[], p_lock_seed bigint)
RETURNS TABLE (found boolean, role text, currency text, currency_exponent int, timezone text, receipt_visibility text)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(hashtextextended(p_circle_id::text || ':' || p_principal_id::text, p_lock_seed));
  RETURN QUERY
  SELECT true, coalesce(m.role, k.role)::text, c.currency::text, c.currency_exponent::int, c.timezone::text, c.receipt_visibility::text
    FROM circles c
    LEFT JOIN memberships m ON m.circle_id = c.id AND m.user_id = p_principal_id
    LEFT JOIN api_keys k ON k.id = p_principal_id AND k.circle_id = c.id AND k.revoked_at IS NULL
   WHERE c.id = p_circle_id AND coalesce(m.role, k.role)::text = ANY (p_roles);
  IF NOT FOUND THEN
    RAISE EXCEPTION 'the caller''s role in circle % is not one of %', p_circle_id, p_roles USING ERRCODE = 'AR013';
  END IF;
END
$$`;

const SESSION_REQUIRE_LIVE = `CREATE FUNCTION session_require_live(p_live bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF p_live IS DISTINCT FROM 1 THEN
    RAISE EXCEPTION 'the session is not live' USING ERRCODE = 'AR014';
  END IF;
END
$$`;

export class SingleWrite1790000001900 implements MigrationInterface {
  name = 'SingleWrite1790000001900';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(CLAIM_FRESH);
    await queryRunner.query(ACCESS_REQUIRE);
    await queryRunner.query(SESSION_REQUIRE_LIVE);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION session_require_live(bigint)');
    await queryRunner.query('DROP FUNCTION circle_access_require(uuid, uuid, text[], bigint)');
    await queryRunner.query('DROP FUNCTION idempotency_claim_fresh(uuid, text, bigint)');
  }
}
