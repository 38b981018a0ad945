// Operations on a grown database: the per-minute reminder sweep uses its index, and the invoice look-up needs the
// token's hash as well as the id.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId, randomString } from "../worker/src/lib/ids.ts";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";

let t: TestDatabase;
let tenantId: string;
const NOW = "2027-03-01T08:00:00Z";

beforeAll(async () => {
  t = await createTestDatabase();
  // 200 tenants with a staff member each, a booking a day for 90 days back (completed) and 10 ahead
  // (confirmed): the sweep runs across tenants, so the per-tenant index is no help to it.
  const prefix = randomString(6);
  await t.admin(
    `INSERT INTO tenants (id, slug, name, timezone, currency)
     SELECT 'ten_' || $1 || lpad(g::text, 14, '0'), 'ops-' || $1 || g, 'Ops', 'UTC', 'EUR' FROM generate_series(1, 200) g`,
    [prefix],
  );
  for (const [table, columns, values] of [
    ["staff", "id, tenant_id, name", "'stf_' || substr(id, 5), id, 'S'"],
    [
      "services",
      "id, tenant_id, name, duration_minutes, price_amount, currency",
      "'svc_' || substr(id, 5), id, 'Cut', 60, 1000, 'EUR'",
    ],
    ["customers", "id, tenant_id, name, email", "'cus_' || substr(id, 5), id, 'C', 'c@example.com'"],
  ])
    await t.admin(`INSERT INTO ${table} (${columns}) SELECT ${values} FROM tenants WHERE id LIKE $1`, [
      `ten_${prefix}%`,
    ]);
  await t.admin(
    `INSERT INTO bookings (id, tenant_id, service_id, staff_id, customer_id, status, starts_at, ends_at, blocked_from,
                           blocked_until, price_amount, currency, manage_token_hash, source, created_at)
     SELECT 'bkg_' || substr(tn.id, 5) || h, tn.id, 'svc_' || substr(tn.id, 5), 'stf_' || substr(tn.id, 5),
            'cus_' || substr(tn.id, 5), CASE WHEN at < $2::timestamptz THEN 'completed' ELSE 'confirmed' END,
            at, at + interval '1 hour', at, at + interval '1 hour', 1000, 'EUR', md5(tn.id || h), 'public',
            at - interval '3 days'
     FROM tenants tn, generate_series(-90, 10) h,
          LATERAL (SELECT $2::timestamptz + make_interval(hours => h * 24) AS at) x
     WHERE tn.id LIKE $1`,
    [`ten_${prefix}%`, NOW],
  );
  await t.admin("ANALYZE bookings, booking_reminders");
  tenantId = `ten_${prefix}${"1".padStart(14, "0")}`;
});
afterAll(async () => {
  await t?.drop();
});

describe("the reminder sweep", () => {
  it("reads the next 24 hours through bookings_reminders_due_idx, not the whole history", async () => {
    // reminders_due()'s own query (0005), planned as its owner would run it.
    const [plan] = await t.admin<{ "QUERY PLAN": unknown }>(
      `EXPLAIN (FORMAT JSON)
       SELECT b.id, b.tenant_id FROM bookings b
       WHERE b.status = 'confirmed'
         AND b.starts_at > $1::timestamptz AND b.starts_at <= $1::timestamptz + interval '24 hours'
         AND b.created_at <= b.starts_at - interval '24 hours'
         AND NOT EXISTS (SELECT 1 FROM booking_reminders r WHERE r.booking_id = b.id AND r.starts_at = b.starts_at)
       ORDER BY b.starts_at
       LIMIT 500`,
      [NOW],
    );
    console.log(JSON.stringify(plan!["QUERY PLAN"]).match(/"(Node Type|Index Name)":"[^"]*"/g));
    expect(JSON.stringify(plan!["QUERY PLAN"])).toContain('"Index Name":"bookings_reminders_due_idx"');
    const [due] = await t.admin<{ n: number }>("SELECT count(*)::int AS n FROM reminders_due($1, 1000)", [NOW]);
    expect(due!.n).toBe(200);
  });
});

describe("invoice_tenant()", () => {
  it("finds an invoice only with its token's hash", async () => {
    const id = newId("inv");
    await t.admin(
      `INSERT INTO invoices (id, tenant_id, booking_id, number, amount, currency, customer_name, customer_email,
                             description, service_date, issued_at, token_hash)
       SELECT $1, $2, id, 1, 1000, 'EUR', 'C', 'c@example.com', 'Cut', starts_at, now(), 'right-hash'
       FROM bookings WHERE tenant_id = $2 LIMIT 1`,
      [id, tenantId],
    );
    const look = async (hash: string | null) =>
      (await t.db.pool.query("SELECT invoice_tenant($1, $2) AS id", [id, hash])).rows[0].id;
    expect(await look("right-hash")).toBe(tenantId);
    expect(await look("wrong-hash")).toBeNull();
    expect(await look(null)).toBeNull();
  });
});
