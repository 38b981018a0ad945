// The retention sweep (migration 0010 retention_sweep(), worker/src/services/retention): deletes only what is old and
// finished, at most a batch per run, and the app role cannot delete those rows itself.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresErrorOf } from "../worker/src/errors.ts";
import { newId } from "../worker/src/lib/ids.ts";
import { sweepRetention } from "../worker/src/services/retention/retention.ts";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const DAY = 86_400_000;

async function tenant(): Promise<string> {
  const id = newId("ten");
  await t.admin("INSERT INTO tenants (id, slug, name, timezone, currency) VALUES ($1, $2, 'Retention', 'UTC', 'EUR')", [
    id,
    `ret-${id.slice(4, 16)}`,
  ]);
  return id;
}

async function outboxRow(tenantId: string, status: string, ageDays: number | null): Promise<string> {
  const id = newId("evt");
  const processed = ageDays === null ? null : new Date(Date.now() - ageDays * DAY).toISOString();
  await t.admin(
    `INSERT INTO outbox (id, tenant_id, event_type, aggregate_id, payload, status, processed_at, created_at)
     VALUES ($1, $2, 'booking.created', 'bkg_x', '{}', $3, $4, coalesce($4::timestamptz, now()) - interval '1 minute')`,
    [id, tenantId, status, processed],
  );
  await t.admin("INSERT INTO outbox_completions (outbox_id, handler, tenant_id) VALUES ($1, 'email', $2)", [
    id,
    tenantId,
  ]);
  return id;
}

async function delivery(tenantId: string, endpointId: string, outboxId: string, ageDays: number): Promise<void> {
  await t.admin(
    `INSERT INTO webhook_deliveries (tenant_id, outbox_id, endpoint_id, attempt, succeeded, duration_ms, created_at)
     VALUES ($1, $2, $3, 1, false, 5, now() - make_interval(secs => $4::double precision * 86400))`,
    [tenantId, outboxId, endpointId, ageDays],
  );
}

const ids = async (table: string, column = "id") =>
  (await t.admin<{ id: string }>(`SELECT ${column}::text AS id FROM ${table}`)).map((r) => r.id).sort();

describe("the retention sweep", () => {
  it("deletes done outbox rows after 30 days (with their completions), never pending, failed or dead ones", async () => {
    const ten = await tenant();
    const oldDone = await outboxRow(ten, "done", 31);
    const recentDone = await outboxRow(ten, "done", 29);
    const pending = await outboxRow(ten, "pending", null);
    const failed = await outboxRow(ten, "failed", null);
    const dead = await outboxRow(ten, "dead", 90);
    await t.admin("UPDATE outbox SET created_at = now() - interval '90 days' WHERE id = ANY($1)", [[pending, failed]]);

    const result = await sweepRetention(t.db);
    expect(result.outbox).toBe(1);
    const left = await t.admin<{ id: string }>("SELECT id FROM outbox WHERE tenant_id = $1", [ten]);
    expect(left.map((r) => r.id).sort()).toEqual([recentDone, pending, failed, dead].sort());
    const completions = await t.admin<{ outbox_id: string }>(
      "SELECT outbox_id FROM outbox_completions WHERE tenant_id = $1",
      [ten],
    );
    expect(completions.map((r) => r.outbox_id)).not.toContain(oldDone);
    expect(completions).toHaveLength(4);
  });

  it("deletes webhook deliveries older than 30 days of done rows only", async () => {
    const ten = await tenant();
    const endpoint = newId("whe");
    await t.admin(
      `INSERT INTO webhook_endpoints (id, tenant_id, url, event_types, secret)
       VALUES ($1, $2, 'https://example.com/hook', '{booking.created}', 'whsec_AAAA')`,
      [endpoint, ten],
    );
    const done = await outboxRow(ten, "done", 1); // recent: the row stays, its old attempts go
    const dead = await outboxRow(ten, "dead", 40);
    await delivery(ten, endpoint, done, 31);
    await delivery(ten, endpoint, done, 2);
    await delivery(ten, endpoint, dead, 40);
    const result = await sweepRetention(t.db);
    expect(result.webhookDeliveries).toBe(1);
    const left = await t.admin<{ outbox_id: string; age: number }>(
      "SELECT outbox_id, extract(day FROM now() - created_at)::int AS age FROM webhook_deliveries WHERE tenant_id = $1 ORDER BY 2",
      [ten],
    );
    expect(left).toEqual([
      { outbox_id: done, age: 2 },
      { outbox_id: dead, age: 40 },
    ]);
  });

  it("deletes idempotency keys 48 hours after their creation, not sooner", async () => {
    const ten = await tenant();
    for (const [key, hours] of [
      ["old-key", 49],
      ["day-old-key", 30],
      ["fresh-key", 1],
    ] as const)
      await t.admin(
        `INSERT INTO idempotency_keys (tenant_id, scope, key, request_hash, response_status, response_body, created_at)
         VALUES ($1, 'booking', $2, 'h', 201, '{}', now() - make_interval(hours => $3))`,
        [ten, key, hours],
      );
    expect((await sweepRetention(t.db)).idempotencyKeys).toBe(1);
    const left = await t.admin<{ key: string }>("SELECT key FROM idempotency_keys WHERE tenant_id = $1 ORDER BY key", [
      ten,
    ]);
    expect(left.map((r) => r.key)).toEqual(["day-old-key", "fresh-key"]);
  });

  it("deletes at most one batch per run, oldest first", async () => {
    const ten = await tenant();
    const rows = [];
    for (const age of [35, 34, 33, 32, 31]) rows.push(await outboxRow(ten, "done", age));
    expect((await sweepRetention(t.db, 2)).outbox).toBe(2);
    const left = await t.admin<{ id: string }>("SELECT id FROM outbox WHERE tenant_id = $1", [ten]);
    expect(left.map((r) => r.id).sort()).toEqual(rows.slice(2).sort());
    expect((await sweepRetention(t.db, 0)).outbox).toBe(1); // clamped to at least one
  });

  it("is the only way the app role deletes those rows", async () => {
    const ten = await tenant();
    await outboxRow(ten, "done", 60);
    for (const table of ["outbox", "webhook_deliveries", "bookings", "invoices"]) {
      const attempt = t.db.withTenantTx(ten, (tx) => tx.execute(sql.raw(`DELETE FROM ${table}`)));
      await expect(attempt, table).rejects.toSatisfy((err) => postgresErrorOf(err)?.code === "42501");
    }
    expect(await ids("outbox")).not.toEqual([]);
  });
});
