// The local-only Server-Timing header (deps.serverTiming, BOOKRA_SERVER_TIMING=on): the request's waits for a database
// connection and for statements, and nothing of it when off or left behind on a shared Database afterwards.
import { describe, expect, it } from "vitest";
import { parseServerTiming } from "../../../scripts/lib/server-timing.ts";
import { TEST_DATA_KEYS, TEST_NOW, TEST_PASSWORD_PEPPERS, useTestApp } from "../../../test/helpers/app.ts";
import { createApp } from "../app.ts";
import { instrumentHttp, RequestTimings } from "./server-timing.ts";

const t = useTestApp();

const appWith = (serverTiming: boolean) =>
  createApp({
    database: () => ({ db: t.database.db, release: async () => {} }),
    now: () => TEST_NOW,
    config: {
      manageTokenSecret: "test-manage-token-secret-0123456789abcdef",
      dataKeys: TEST_DATA_KEYS,
      passwordPeppers: TEST_PASSWORD_PEPPERS,
      publicBaseUrl: "http://bookra.test",
    },
    serverTiming,
  });

describe("Server-Timing (local profiling)", () => {
  it("names the waits of a request that reads the database: connection, statements, the whole handler", async () => {
    const tenant = await t.createTenant();
    const pool = t.database.db.pool;
    const connect = pool.connect;
    const res = await appWith(true).request(`/v1/public/${tenant.slug}/catalog`);
    expect(res.status).toBe(200);
    const timing = parseServerTiming(res.headers.get("server-timing") ?? "");
    expect(Object.keys(timing)).toEqual(expect.arrayContaining(["app", "after-total"]));
    // Over the WebSocket Pool (a connection, then statements) or over HTTP (requests): at least one wait counted.
    const waits = (timing.db?.count ?? 0) + (timing.http?.count ?? 0);
    expect(waits).toBeGreaterThanOrEqual(1);
    if (timing.db) expect(timing.connect?.count).toBeGreaterThanOrEqual(1);
    // The shared Database is as it was: the next request, timed or not, is not counted into this one.
    expect(pool.connect).toBe(connect);
  });

  it("is absent unless turned on", async () => {
    const tenant = await t.createTenant();
    const res = await appWith(false).request(`/v1/public/${tenant.slug}/catalog`);
    expect(res.status).toBe(200);
    expect(res.headers.get("server-timing")).toBeNull();
  });
});

describe("instrumentHttp", () => {
  it("times a transaction when called and a lone query when awaited, and undoes itself", async () => {
    const ran: string[] = [];
    const lazy = (text: string) => ({
      // biome-ignore lint/suspicious/noThenProperty: a stand-in for the driver's lazy query
      then: (ok: (v: unknown) => unknown) => {
        ran.push(text);
        return Promise.resolve({ rows: [text] }).then(ok);
      },
    });
    const http = {
      query: (text: unknown) => lazy(String(text)),
      transaction: async (queries: unknown) => (queries as unknown[]).length,
    };
    const original = { query: http.query, transaction: http.transaction };
    const timings = new RequestTimings();
    const undo = instrumentHttp(http as unknown as Parameters<typeof instrumentHttp>[0], timings);
    const inTx = http.query("a"); // handed to the transaction: never awaited, never timed
    expect(await http.transaction([inTx])).toBe(1);
    expect(await http.query("b")).toEqual({ rows: ["b"] });
    expect(ran).toEqual(["b"]);
    expect(parseServerTiming(timings.header()).http).toEqual({ ms: expect.any(Number), count: 2 });
    undo();
    expect(http.query).toBe(original.query);
    expect(http.transaction).toBe(original.transaction);
  });
});

describe("parseServerTiming", () => {
  it("reads durations and counts", () => {
    expect(parseServerTiming('app;dur=40, db;dur=12;desc="3", connect;dur=0;desc="1"')).toEqual({
      app: { ms: 40, count: 1 },
      db: { ms: 12, count: 3 },
      connect: { ms: 0, count: 1 },
    });
  });
});
