// The per-file test database harness: a session ended by the database's side (DROP … WITH (FORCE), a terminated
// backend) is an expected end, never an uncaught error that fails a run whose tests all passed.
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "./helpers/db.ts";

describe("test database lifecycle", () => {
  it("a checked-out connection whose session is terminated (FATAL 57P01) fails only its own queries", async () => {
    const tdb = await createTestDatabase();
    try {
      const client = await tdb.db.pool.connect();
      const { pid } = (await client.query("SELECT pg_backend_pid() AS pid")).rows[0];
      const ended = new Promise<void>((ok) => client.once("end", () => ok()));
      await tdb.admin("SELECT pg_terminate_backend($1)", [pid]);
      await ended;
      await expect(client.query("SELECT 1")).rejects.toThrow();
      client.release(true);
      // The pool goes on with fresh connections.
      expect((await tdb.db.pool.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    } finally {
      await tdb.drop();
    }
  });

  it("drop() waits for every connection of every pool to close, then removes the database", async () => {
    const tdb = await createTestDatabase();
    const extra = tdb.open({ maxConnections: 4 });
    // Many connections at once, some still checked out while the database goes.
    await Promise.all(Array.from({ length: 12 }, () => tdb.db.pool.query("SELECT pg_sleep(0)")));
    await Promise.all(Array.from({ length: 4 }, () => extra.pool.query("SELECT 1")));
    await Promise.all(Array.from({ length: 4 }, () => tdb.admin("SELECT 1")));
    const held = await extra.pool.connect();
    held.release();
    await extra.close();
    expect(extra.pool.totalCount).toBe(0);
    await tdb.drop();
    const other = await createTestDatabase();
    try {
      const left = await other.admin("SELECT count(*)::int AS n FROM pg_database WHERE datname = $1", [tdb.name]);
      expect(left).toEqual([{ n: 0 }]);
    } finally {
      await other.drop();
    }
  });
});
