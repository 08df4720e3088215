import pg from 'pg';

/**
 * Server-side prepared statements for the SQL that runs on every request (the session check,
 * the idempotency claim and record, the circle access check). Without a name, node-pg sends
 * each parameterized query as an unnamed statement that PostgreSQL parses and plans anew
 * every time; that was about a third of the database's CPU time per API request
 * (docs/performance.md). A text passed through `prepared()` is sent as a named statement
 * instead: parsed once per pooled connection, then only bound and executed.
 *
 * Callers keep writing plain SQL strings and `manager.query(sql, params)`: the pool's
 * client class below recognises the registered texts. Only registered texts are prepared,
 * so each connection holds a small, fixed set of statements however much SQL the app runs.
 */
const registry = new Map<string, string>();
const names = new Set<string>();

/** Registers `text` as the prepared statement `name` and returns the text unchanged. */
export function prepared(name: string, text: string): string {
  const known = registry.get(text);
  if (known === name) return text;
  if (known !== undefined || names.has(name)) throw new Error(`prepared statement ${name} is registered twice`);
  registry.set(text, name);
  names.add(name);
  return text;
}

/** node-pg's client, sending registered texts with parameters as named statements. */
export class PreparingClient extends pg.Client {
  // `any` as in node-pg's own overloads, which this one method stands in for.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(config: any, values?: any, callback?: any): any {
    if (typeof config === 'string' && Array.isArray(values) && callback === undefined) {
      const name = registry.get(config);
      if (name) return super.query({ name, text: config, values });
    }
    return super.query(config, values, callback);
  }
}
