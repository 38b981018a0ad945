// Values inlined into SQL text (worker/src/db/client.ts: session.finish, session.batch, inlined()) on the booking
// path: whatever a client sends is stored exactly as sent, never read as SQL; NUL is refused with a 400; and a
// database with standard_conforming_strings off makes the worker refuse to run instead of misreading a literal.
import { sql } from "drizzle-orm";
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Database, inlined, inlineSql, sqlLiteral, UninlinableValue } from "../worker/src/db/client.ts";
import { postgresErrorOf } from "../worker/src/errors.ts";
import { useTestApp } from "./helpers/app.ts";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";
import { createSalon, type Salon } from "./helpers/salon.ts";

const t = useTestApp();
beforeEach(() => {
  t.clock.now = new Date("2027-03-01T08:00:00Z");
});

/** Strings built from the characters that break naive quoting, plus any unicode (NUL excluded: see below). */
const NASTY = ["'", "''", "\\", "\\'", "$$", "$a$", '"', ";", "--", "/*", "*/", "E'", "\u0001", "\u001f", "\n", "\r"];
const text = fc
  .array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: "grapheme", maxLength: 6 })), { maxLength: 12 })
  .map((parts) => parts.join(""))
  .filter((s) => !s.includes("\0"));

let s: Salon;
beforeAll(async () => {
  s = await createSalon(t, {
    hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" })),
  });
});

describe("inlined values", () => {
  it("round-trip through finish, batch and inlined() exactly, as text, numbers and JSON", async () => {
    await fc.assert(
      fc.asyncProperty(text, fc.integer({ min: -1e9, max: 1e9 }), async (value, n) => {
        const json = { value, list: [value, n] };
        const [finished] = await t.database.db.withTenantTx(s.tenant.id, (_tx, session) =>
          session.finish(sql`SELECT ${value}::text AS v, 1 - ${n} AS d, ${JSON.stringify(json)}::jsonb AS j`),
        );
        expect(finished).toEqual({ v: value, d: 1 - n, j: json });
        const batched = await t.database.db.withTenantTx(s.tenant.id, (_tx, session) =>
          session.batch([sql`SELECT ${value}::text AS v`, sql`SELECT ${n}::int - ${n} AS z`]),
        );
        expect(batched).toEqual([[{ v: value }], [{ z: 0 }]]);
        const executed = await t.database.db.withTenantTx(s.tenant.id, (tx) =>
          tx.execute(inlined(sql`SELECT ${value}::text AS v`)),
        );
        expect(executed.rows).toEqual([{ v: value }]);
      }),
      { numRuns: 60 },
    );
  });

  it("store a booking's customer text exactly as sent (the one-statement book() path)", async () => {
    let hour = 0;
    let stored = 0;
    await fc.assert(
      fc.asyncProperty(text, text, async (notes, name) => {
        const start = new Date(Date.UTC(2027, 2, 2, hour++)).toISOString().replace(".000", "");
        const res = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
          body: {
            serviceId: s.serviceId,
            staffId: s.staffIds[0],
            start,
            customer: { name: `N ${name} N`, email: `fuzz${hour}@example.com` },
            ...(notes && { notes }),
          },
        });
        if (res.status === 400) return; // the name's own validation (e.g. control characters) may refuse it
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        const [row] = await t.database.admin<{ notes: string | null; name: string }>(
          "SELECT b.notes, c.name FROM bookings b JOIN customers c ON c.id = b.customer_id WHERE b.id = $1",
          [res.body.booking.id],
        );
        expect(row).toEqual({ notes: notes || null, name: `N ${name} N` });
        stored++;
      }),
      { numRuns: 30 },
    );
    expect(stored).toBeGreaterThan(15);
  });

  it("refuse NUL with a 400 before anything is sent, and keep the connection usable", async () => {
    expect(() => sqlLiteral("a\0b")).toThrow(UninlinableValue);
    expect(() => inlineSql(sql`SELECT ${"x\0"}`)).toThrow(UninlinableValue);
    const res = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
      body: {
        serviceId: s.serviceId,
        staffId: s.staffIds[0],
        start: "2027-03-20T10:00:00Z",
        customer: { name: "Nul", email: "nul@example.com" },
        notes: "before\0after",
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    const stored = await t.database.admin("SELECT 1 FROM bookings WHERE notes LIKE 'before%'");
    expect(stored).toEqual([]);
  });

  it("keep a negative number from turning a minus into a comment", () => {
    expect(inlineSql(sql`SELECT 1 - ${-1} AS x`)).toBe("SELECT 1 - (-1) AS x");
    expect(() => sqlLiteral(Number.NaN)).toThrow(UninlinableValue);
  });
});

describe("a database with standard_conforming_strings off", () => {
  let off: TestDatabase;
  beforeAll(async () => {
    off = await createTestDatabase();
    const c = new pg.Client({ connectionString: off.adminUrl });
    await c.connect();
    await c.query(`ALTER DATABASE ${off.name} SET standard_conforming_strings = off`);
    await c.end();
  });
  afterAll(async () => {
    await off?.drop();
  });

  it("makes every tenant transaction fail before its inlined statement runs", async () => {
    const db = new Database({ databaseUrl: off.appUrl, wsProxy: `127.0.0.1:${off.proxyPort}`, maxConnections: 2 });
    try {
      const tenantId = s.tenant.id;
      await off.admin(
        "INSERT INTO tenants (id, slug, name, timezone, currency) VALUES ($1, 'scs-off', 'x', 'UTC', 'EUR')",
        [tenantId],
      );
      // With the setting off, \' is an escaped quote: this value would end its literal early and the rest would run
      // as SQL (the comment swallows the COMMIT). It parses, so only begin_tenant() stands in its way.
      const attack = "\\'); UPDATE tenants SET name = current_user; --";
      const attempt = db.withTenantTx(tenantId, (_tx, session) =>
        session.finish(sql`UPDATE tenants SET branding = jsonb_build_object('x', ${attack}::text)`),
      );
      await expect(attempt).rejects.toSatisfy((err) => postgresErrorOf(err)?.code === "55000");
      expect(await off.admin("SELECT name, branding FROM tenants")).toEqual([{ name: "x", branding: {} }]);
    } finally {
      await db.close();
    }
  });
});
