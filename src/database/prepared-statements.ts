import type { Socket } from 'node:net';
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

/**
 * node-pg's client, sending registered texts with parameters as named statements, and
 * holding back what it sends until the event loop's current turn has run: statements
 * issued in the same turn (a statement sent ahead and the one after it, an outbox event and
 * the COMMIT) leave in one write to the socket instead of one each.
 */
export class PreparingClient extends pg.Client {
  private holding = false;

  // `any` as in node-pg's own overloads, which this one method stands in for.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(config: any, values?: any, callback?: any): any {
    this.holdWrites();
    if (typeof config === 'string' && Array.isArray(values) && callback === undefined) {
      const name = registry.get(config);
      if (name) return super.query({ name, text: config, values });
    }
    return super.query(config, values, callback);
  }

  /** Corks the socket until setImmediate, i.e. after the callbacks of this loop turn. */
  private holdWrites(): void {
    if (this.holding) return;
    const socket = (this as unknown as { connection?: { stream?: Socket } }).connection?.stream;
    if (!socket || typeof socket.cork !== 'function') return;
    this.holding = true;
    socket.cork();
    setImmediate(() => {
      this.holding = false;
      socket.uncork();
    });
  }
}
