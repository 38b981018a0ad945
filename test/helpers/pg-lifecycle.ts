// Connection bookkeeping for test pools (node-postgres and the Neon driver share pg-pool's events): knowing when every
// connection has really closed, and not crashing on the FATAL a session gets when its database is dropped.
import type { EventEmitter } from "node:events";

/** SQLSTATE 57P01 admin_shutdown: "terminating connection due to administrator command" (DROP … WITH (FORCE)). */
const ADMIN_SHUTDOWN = "57P01";

/**
 * An 'error' listener for a connection the tests are done with: a session terminated by the database's drop is the
 * expected end, anything else stays an uncaught error (as it was without a listener).
 */
export function ignoreTermination(err: unknown): void {
  if ((err as { code?: unknown } | null)?.code === ADMIN_SHUTDOWN) return;
  throw err;
}

interface PoolEvents {
  on(event: "connect", listener: (client: EventEmitter) => void): unknown;
}

/**
 * Listens on every connection the pool opens; the returned function resolves once all of them have emitted 'end'
 * (pg-pool's own end() resolves as soon as it has asked them to close). Each connection gets an 'error' listener:
 * pg-pool listens only while a connection is idle, and a FATAL on one that is closing or checked out would otherwise
 * be an uncaught error. Other errors still reach whoever needs them: the query that was running is rejected, and an
 * idle connection's error goes to the pool's own 'error' listeners.
 */
export function trackConnections(pool: PoolEvents): () => Promise<void> {
  const open = new Set<EventEmitter>();
  const waiting: (() => void)[] = [];
  pool.on("connect", (client) => {
    open.add(client);
    client.on("error", () => {});
    client.once("end", () => {
      open.delete(client);
      if (open.size === 0) for (const ok of waiting.splice(0)) ok();
    });
  });
  return () => (open.size === 0 ? Promise.resolve() : new Promise<void>((ok) => waiting.push(ok)));
}
