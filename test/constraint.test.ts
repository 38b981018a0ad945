// Invariant 1 holds in the database itself: overlapping active bookings of one staff member cannot both be stored,
// whatever the application does (these inserts bypass the services entirely).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../worker/src/lib/ids.ts";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";

let tdb: TestDatabase;
const tenant = newId("ten");
const staff = newId("stf");
const service = newId("svc");
const cust = newId("cus");

beforeAll(async () => {
  tdb = await createTestDatabase();
  await tdb.admin(
    "INSERT INTO tenants (id, slug, name, timezone, currency) VALUES ($1, 'constraint', 'C', 'UTC', 'EUR')",
    [tenant],
  );
  await tdb.admin("INSERT INTO staff (id, tenant_id, name) VALUES ($1, $2, 'S')", [staff, tenant]);
  await tdb.admin(
    "INSERT INTO services (id, tenant_id, name, duration_minutes, price_amount, currency) VALUES ($1, $2, 'X', 60, 0, 'EUR')",
    [service, tenant],
  );
  await tdb.admin("INSERT INTO customers (id, tenant_id, name, email) VALUES ($1, $2, 'C', 'c@example.com')", [
    cust,
    tenant,
  ]);
});
afterAll(async () => tdb?.drop());

function insert(from: string, until: string, status = "confirmed") {
  return tdb.admin(
    `INSERT INTO bookings (id, tenant_id, service_id, staff_id, customer_id, status, starts_at, ends_at, blocked_from, blocked_until,
       price_amount, currency, hold_expires_at, manage_token_hash, source)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8, 0, 'EUR', $9, 'x', 'admin')`,
    [
      newId("bkg"),
      tenant,
      service,
      staff,
      cust,
      status,
      from,
      until,
      status === "pending_payment" ? "2030-01-01T00:00:00Z" : null,
    ],
  );
}

describe("the exclusion constraint", () => {
  it("refuses an overlapping active booking with SQLSTATE 23P01, allows touching ranges and inactive overlaps", async () => {
    await insert("2027-05-03T09:00:00Z", "2027-05-03T10:10:00Z");
    await expect(insert("2027-05-03T10:00:00Z", "2027-05-03T11:00:00Z")).rejects.toMatchObject({
      code: "23P01",
      constraint: "bookings_no_overlap",
    });
    await expect(insert("2027-05-03T08:00:00Z", "2027-05-03T09:30:00Z", "pending_payment")).rejects.toMatchObject({
      code: "23P01",
    });
    await expect(insert("2027-05-03T10:10:00Z", "2027-05-03T11:00:00Z")).resolves.toBeDefined(); // [) ranges touch
    await expect(insert("2027-05-03T09:30:00Z", "2027-05-03T10:30:00Z", "cancelled")).resolves.toBeDefined();
  });

  it("decides between two truly concurrent overlapping inserts: exactly one commits", async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        insert(
          `2027-05-04T09:${String(i * 5).padStart(2, "0")}:00Z`,
          `2027-05-04T10:${String(i * 5).padStart(2, "0")}:00Z`,
        ),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results)
      if (r.status === "rejected") expect((r.reason as { code: string }).code).toMatch(/^(23P01|40P01)$/);
  });
});

describe("the 48-hour bound the scheduling query relies on (migrations/0008)", () => {
  it("refuses a blocked range longer than 48 hours (no service can make one) and accepts exactly 48", async () => {
    await expect(insert("2027-06-01T00:00:00Z", "2027-06-03T00:00:01Z")).rejects.toMatchObject({
      code: "23514",
      constraint: "bookings_blocked_at_most_48h",
    });
    await expect(insert("2027-06-05T00:00:00Z", "2027-06-07T00:00:00Z")).resolves.toBeDefined();
  });
});

describe("the calendar locks writers take before the constraint (migrations/0009 lock_staff_time)", () => {
  it("queue writers whose ranges overlap, and only those: other times of the same person go ahead", async () => {
    const { default: pg } = await import("pg");
    const holder = new pg.Client({ connectionString: tdb.adminUrl });
    const other = new pg.Client({ connectionString: tdb.adminUrl });
    await holder.connect();
    await other.connect();
    const lock = (c: InstanceType<typeof pg.Client>, from: string, until: string) =>
      c.query("SELECT lock_staff_time($1, $2, $3)", [staff, from, until]);
    try {
      await holder.query("BEGIN");
      await lock(holder, "2027-07-01T10:00:00Z", "2027-07-01T11:10:00Z"); // hours 10 and 11
      await other.query("BEGIN; SET LOCAL lock_timeout = '300ms'");
      await expect(lock(other, "2027-07-01T14:00:00Z", "2027-07-01T15:00:00Z")).resolves.toBeDefined();
      await expect(lock(other, "2027-07-01T12:00:00Z", "2027-07-01T12:30:00Z")).resolves.toBeDefined();
      await expect(lock(other, "2027-07-01T11:05:00Z", "2027-07-01T11:30:00Z")).rejects.toMatchObject({
        code: "55P03",
      });
      await other.query("ROLLBACK");
      await other.query("BEGIN; SET LOCAL lock_timeout = '300ms'");
      await expect(lock(other, "2027-07-01T09:00:00Z", "2027-07-01T10:00:00Z")).resolves.toBeDefined(); // touches only
      await other.query("ROLLBACK");
      await holder.query("COMMIT");
    } finally {
      await holder.end();
      await other.end();
    }
  });
});
