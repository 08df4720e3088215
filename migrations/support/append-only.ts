/**
 * The one append-only guard every kept record uses: the ledger, receipts and their chain
 * heads, signed checkpoints and every history table
 * (docs/architecture.md "Shared building blocks"). `forbid_change()` is a single trigger
 * function; each trigger passes it the SQLSTATE to raise and the rule it keeps, and the
 * message names the table it guards:
 * "UPDATE on payout_history is not allowed: the history is append-only".
 *
 * A module's migration adds `...appendOnly({ table, code, rule }).up` to its statements and
 * the matching `.down` to its down(). The function itself is created once, by the first
 * migration (…100-AuthAndRateLimits.ts), below every module.
 */

/** Creates the shared trigger function: TG_ARGV[0] is the SQLSTATE, TG_ARGV[1] the rule. */
export const FORBID_CHANGE_UP = `CREATE FUNCTION forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% on % is not allowed: %', TG_OP, TG_TABLE_NAME, TG_ARGV[1] USING ERRCODE = TG_ARGV[0];
END
$$`;

export const FORBID_CHANGE_DOWN = 'DROP FUNCTION forbid_change()';

export interface AppendOnlyTable {
  table: string;
  /** The SQLSTATE raised (class AR, owned by the module whose problem mapping reads it). */
  code: string;
  /** The rule, as the end of the message: "the history is append-only". */
  rule: string;
  /** Rows may be updated (other triggers guard how); only DELETE and TRUNCATE are refused. */
  updatable?: boolean;
}

export interface Guard {
  up: string[];
  down: string[];
}

const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** Triggers that refuse UPDATE (unless `updatable`), DELETE and TRUNCATE on `table`. */
export function appendOnly({ table, code, rule, updatable = false }: AppendOnlyTable): Guard {
  const args = `${literal(code)}, ${literal(rule)}`;
  const [rowTrigger, events] = updatable ? [`${table}_no_delete`, 'DELETE'] : [`${table}_append_only`, 'UPDATE OR DELETE'];
  return {
    up: [
      `CREATE TRIGGER ${rowTrigger} BEFORE ${events} ON ${table}
  FOR EACH ROW EXECUTE FUNCTION forbid_change(${args})`,
      `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_change(${args})`,
    ],
    down: [`DROP TRIGGER ${table}_no_truncate ON ${table}`, `DROP TRIGGER ${rowTrigger} ON ${table}`],
  };
}

/** A trigger that refuses an UPDATE of `table` whenever `when` (over NEW and OLD) holds. */
export function refuseUpdateWhen(trigger: string, table: string, when: string, code: string, rule: string): Guard {
  return {
    up: [
      `CREATE TRIGGER ${trigger} BEFORE UPDATE ON ${table}
  FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION forbid_change(${literal(code)}, ${literal(rule)})`,
    ],
    down: [`DROP TRIGGER ${trigger} ON ${table}`],
  };
}

/** Several guards as one: statements in order up, in reverse order down. */
export function guards(...parts: Guard[]): Guard {
  return { up: parts.flatMap((g) => g.up), down: [...parts].reverse().flatMap((g) => g.down) };
}
