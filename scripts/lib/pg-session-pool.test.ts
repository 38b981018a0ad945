// The local pooler must behave like a fresh connection to every client: nothing of one session reaches the next.
import { describe, expect, it, vi } from "vitest";
import { createTestDatabase } from "../../test/helpers/db.ts";
import { proxyStats } from "../../test/helpers/proxy-stats.ts";
import { Database } from "../../worker/src/db/client.ts";
import { MessageStream, parseStartup } from "./pg-session-pool.ts";
import { startWsProxy } from "./ws-proxy.ts";

function message(type: string, body: string): Buffer {
  const b = Buffer.from(body);
  const m = Buffer.alloc(5 + b.length);
  m.write(type, 0);
  m.writeInt32BE(4 + b.length, 1);
  b.copy(m, 5);
  return m;
}

describe("protocol framing", () => {
  it("splits messages across arbitrary chunk borders", () => {
    const seen: string[] = [];
    const stream = new MessageStream((type, m) =>
      seen.push(`${String.fromCharCode(type)}:${m.subarray(5).toString()}`),
    );
    const bytes = Buffer.concat([message("Q", "SELECT 1\0"), message("Z", "I"), message("X", "")]);
    for (let i = 0; i < bytes.length; i += 3) stream.push(bytes.subarray(i, i + 3));
    expect(seen).toEqual(["Q:SELECT 1\0", "Z:I", "X:"]);
    expect(stream.midMessage).toBe(false);
  });

  it("pools only a start-up that pipelines its password, keyed by user, database and password", () => {
    const params = Buffer.from("user\0app\0database\0db1\0\0");
    const startup = Buffer.alloc(8 + params.length);
    startup.writeInt32BE(8 + params.length, 0);
    startup.writeInt32BE(196608, 4);
    params.copy(startup, 8);
    expect(parseStartup(startup)).toBeNull();
    const a = parseStartup(Buffer.concat([startup, message("p", "secret\0")]));
    const b = parseStartup(Buffer.concat([startup, message("p", "other\0")]));
    expect(a?.totalLength).toBe(startup.length + 12);
    expect(a?.key).not.toBe(b?.key);
  });
});

describe("session reuse through the proxy", () => {
  it("resets settings, locks, prepared statements and temp tables, and rolls back an abandoned transaction", async () => {
    const tdb = await createTestDatabase();
    try {
      const open = () => tdb.open({ maxConnections: 1 });
      const first = open();
      const pid = (await first.pool.query("SELECT pg_backend_pid() AS pid")).rows[0].pid;
      await first.pool.query("SELECT set_config('app.tenant_id', 'ten_leaked', false)");
      const client = await first.pool.connect();
      await client.query("SELECT pg_advisory_lock(4242)");
      await client.query("PREPARE leftover AS SELECT 1");
      await client.query("CREATE TEMP TABLE kept (x int)"); // committed: only a reset removes it
      await client.query("BEGIN");
      await client.query("CREATE TEMP TABLE scratch (x int)");
      client.release();
      await first.close(); // ends the session with a transaction still open
      // The proxy rolls back and resets the session before it pools it again: wait until the reset has run (the
      // server reports the session idle just before it answers the proxy, which pools it on that answer; the next
      // client's start-up reaches the proxy only after that).
      await vi.waitFor(
        async () => {
          const [s] = await tdb.admin("SELECT state, query FROM pg_stat_activity WHERE pid = $1", [pid]);
          expect(s).toMatchObject({ state: "idle", query: expect.stringMatching(/^CLOSE ALL;/) });
        },
        { timeout: 10_000, interval: 20 },
      );
      const second = open();
      const row = (
        await second.pool.query(
          `SELECT pg_backend_pid() AS pid, current_setting('app.tenant_id', true) AS tenant,
             to_regclass('pg_temp.scratch') AS scratch, to_regclass('pg_temp.kept') AS kept,
             (SELECT count(*)::int FROM pg_prepared_statements) AS prepared,
             (SELECT count(*)::int FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()) AS locks`,
        )
      ).rows[0];
      await second.close();
      expect(row.pid).toBe(pid); // the same server session was reused…
      expect(row.tenant ?? "").toBe(""); // …with nothing left of the previous client
      expect(row.scratch).toBeNull();
      expect(row.kept).toBeNull();
      expect(row.prepared).toBe(0);
      expect(row.locks).toBe(0);
    } finally {
      await tdb.drop();
    }
  });

  it("keeps every session released at once: all of them idle, none open and lost", async () => {
    const tdb = await createTestDatabase();
    const proxy = await startWsProxy();
    const clients = 16;
    const db = new Database({ databaseUrl: tdb.appUrl, wsProxy: `127.0.0.1:${proxy.port}`, maxConnections: clients });
    const sessions = async () => (await proxyStats(proxy.port)).sessions;
    try {
      // Every client holds its session until all have one, then all are released together.
      const held = await Promise.all(Array.from({ length: clients }, () => db.pool.connect()));
      expect((await sessions()).open).toBe(clients);
      for (const client of held) client.release();
      await db.close();
      // Every session still open is idle, ready for the next client: none is open and in no list. (A session whose
      // reset fails, e.g. times out on a busy machine, is closed instead: open and idle both count it out.)
      await vi.waitFor(
        async () => {
          const now = await sessions();
          expect(now.webSocketsOpen).toBe(0);
          expect(now.idle).toBe(now.open);
          expect(now.idle).toBeGreaterThan(clients / 2);
        },
        { timeout: 10_000, interval: 20 },
      );
    } finally {
      await proxy.close();
      await tdb.drop();
    }
  });
});
