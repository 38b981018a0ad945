// Roles, route by route (issue 12): every admin operation of the published document is called with a staff session,
// a manager session on the owner-only ones, and a session of another business on this one's ids; each answer is the
// expected 403/404 (or the narrowed 200 a staff member may read) and no row of the database changes.
import { beforeAll, describe, expect, it } from "vitest";
import { mayCall, operationKey } from "../worker/src/domain/permissions.ts";
import { TEST_NOW, useTestApp } from "./helpers/app.ts";
import { addMember, type SignedIn, signInOwner } from "./helpers/auth.ts";
import { createSalon, customer, type Salon } from "./helpers/salon.ts";

const t = useTestApp();

interface Operation {
  method: string;
  path: string;
  key: string;
}

let operations: Operation[] = [];
let salon: Salon;
let other: Salon;
const ids: Record<string, string> = {};
let staffUser: SignedIn;
let manager: SignedIn;
let otherOwner: SignedIn;

/** Every table's content, hashed (sessions aside: using one slides its expiry). */
async function snapshot(): Promise<Record<string, string>> {
  const tables = await t.database.admin<{ name: string }>(
    `SELECT relname AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'
       AND relname NOT IN ('sessions', 'schema_migrations') ORDER BY 1`,
  );
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await t.database.admin(
      `SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM "${name}" x`,
    );
    out[name] = row!.h;
  }
  return out;
}

async function book(s: Salon, staffId: string, start: string): Promise<string> {
  const res = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
    body: { serviceId: s.serviceId, staffId, start, customer: customer(Math.random().toString(36).slice(2, 8)) },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.booking.id;
}

/** A path with its parameters filled from `ids` (objects of the salon that the caller must not reach). */
function fill(op: Operation, values: Record<string, string>): string {
  return op.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const resource = op.path.split("/")[3]!;
    const value = values[`${resource}.${name}`] ?? values[name];
    if (!value) throw new Error(`no value for ${name} in ${op.key}`);
    return value;
  });
}

/** Well-formed bodies, so that what answers is the role or the tenant check, never validation. */
const BODIES: Record<string, unknown> = {
  "PATCH /v1/admin/tenant": { name: "Renamed" },
  "POST /v1/admin/staff": { name: "New" },
  "PATCH /v1/admin/staff/{id}": { name: "Renamed" },
  "POST /v1/admin/staff/{id}/time-off": { start: "2027-03-20T09:00:00Z", end: "2027-03-20T12:00:00Z" },
  "PUT /v1/admin/staff/{id}/overrides/{date}": { intervals: [] },
  "POST /v1/admin/services": {
    name: "New",
    durationMinutes: 30,
    price: { amount: 100, currency: "EUR" },
    staffIds: [],
  },
  "PATCH /v1/admin/services/{id}": { name: "Renamed" },
  "POST /v1/admin/bookings/{id}/reschedule": { start: "2027-03-05T14:00:00Z" },
  "POST /v1/admin/api-keys": { name: "k" },
  "POST /v1/admin/webhook-endpoints": { url: "https://example.com/hooks" },
  "PUT /v1/admin/channels": { whatsapp: true },
  "POST /v1/admin/invitations": { email: "someone@example.com", role: "manager" },
  "PATCH /v1/admin/customers/{id}": { notes: "Prefers mornings" },
  "POST /v1/admin/bookings/{id}/refunds": { reason: "Goodwill" },
  "PUT /v1/admin/staff/{id}/commission-rules": { rules: [] },
  "POST /v1/admin/staff/{id}/payments": { amount: 1, method: "cash", period: { from: "2027-03-01", to: "2027-03-07" } },
};

/** Required query strings, so that a read a role may make answers 200 rather than 400. */
const QUERIES: Record<string, string> = {
  "GET /v1/admin/calendar": "?from=2027-03-02&to=2027-03-02",
  "GET /v1/admin/staff/{id}/statement": "?period=week&date=2027-03-02",
  "GET /v1/admin/reports/summary": "?from=2027-03-01&to=2027-03-31",
  "GET /v1/admin/reports/revenue": "?from=2027-03-01&to=2027-03-31",
  "GET /v1/admin/reports/summary.csv": "?from=2027-03-01&to=2027-03-31",
  "GET /v1/admin/reports/revenue.csv": "?from=2027-03-01&to=2027-03-31&groupBy=staff",
};

/** Operations a staff member may call for their own record only, that answer 403 (not 404) for another's. */
const FORBIDDEN_FOR_OTHERS = ["GET /v1/admin/staff/{id}/statement"];

function call(op: Operation, as: SignedIn, values: Record<string, string>) {
  const body = BODIES[op.key] ?? (op.method === "GET" || op.method === "DELETE" ? undefined : {});
  const path = fill(op, values) + (QUERIES[op.key] ?? "");
  return t.request(op.method, path, as.as(body === undefined ? {} : { body }));
}

beforeAll(async () => {
  t.clock.now = TEST_NOW;
  const doc = (await t.request("GET", "/openapi.json")).body as { paths: Record<string, Record<string, unknown>> };
  operations = Object.entries(doc.paths)
    .filter(([path]) => path.startsWith("/v1/admin/"))
    .flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ["get", "post", "put", "patch", "delete"].includes(m))
        .map((m) => ({ method: m.toUpperCase(), path, key: operationKey(m, path) })),
    );
  salon = await createSalon(t, { staff: 2 });
  other = await createSalon(t, { staff: 1 });
  const [mine, theirs] = salon.staffIds as [string, string];
  ids.own = await book(salon, mine, "2027-03-02T10:00:00Z");
  ids["bookings.id"] = await book(salon, theirs, "2027-03-02T11:00:00Z");
  const [theirCustomer] = await t.database.admin("SELECT customer_id FROM bookings WHERE id = $1", [
    ids["bookings.id"],
  ]);
  ids["customers.id"] = theirCustomer!.customer_id;
  ids["staff.id"] = theirs;
  ids["services.id"] = salon.serviceId;
  const off = await t.request("POST", `/v1/admin/staff/${theirs}/time-off`, {
    key: salon.tenant.apiKey,
    body: { start: "2027-03-10T09:00:00Z", end: "2027-03-10T12:00:00Z" },
  });
  ids.timeOffId = off.body.id;
  ids.date = "2027-03-10";
  const keys = await t.request("GET", "/v1/admin/api-keys", { key: salon.tenant.apiKey });
  ids["api-keys.id"] = keys.body.data[0].id;
  const [event] = await t.database.admin("SELECT id FROM outbox WHERE tenant_id = $1 LIMIT 1", [salon.tenant.id]);
  await t.database.admin("UPDATE outbox SET status = 'dead' WHERE id = $1", [event!.id]);
  ids["outbox.id"] = event!.id;
  ids["webhook-endpoints.id"] = "whe_00000000000000000000";
  ids.refundId = "rfd_00000000000000000000";
  ids["payouts.id"] = "po_00000000000000000000";
  ids["reconciliation.id"] = "rcn_00000000000000000000";
  const invited = await t.request("POST", "/v1/admin/invitations", {
    key: salon.tenant.apiKey,
    body: { email: "future-owner@example.com", role: "owner" },
  });
  ids["invitations.id"] = invited.body.id;
  staffUser = await addMember(t, salon.tenant, "staff", mine);
  manager = await addMember(t, salon.tenant, "manager");
  otherOwner = await signInOwner(t, other.tenant);
});

describe("a staff session", () => {
  it("gets 403 or 404 on every admin operation but its own reads, and changes nothing", async () => {
    expect(operations.length).toBeGreaterThan(30);
    const before = await snapshot();
    const unexpected: string[] = [];
    for (const op of operations) {
      const res = await call(op, staffUser, ids);
      const readable = [
        "GET /v1/admin/bookings",
        "GET /v1/admin/calendar",
        "GET /v1/admin/services",
        "GET /v1/admin/services/{id}",
      ];
      const expected = readable.includes(op.key)
        ? [200]
        : mayCall("staff", op.key) && !FORBIDDEN_FOR_OTHERS.includes(op.key)
          ? [404]
          : [403];
      if (!expected.includes(res.status)) unexpected.push(`${op.key}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    expect(unexpected).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it("lists, reads and completes only its own bookings", async () => {
    const list = await t.request("GET", "/v1/admin/bookings", staffUser.as());
    expect(list.body.data.map((b: { id: string }) => b.id)).toEqual([ids.own]);
    const filtered = await t.request("GET", `/v1/admin/bookings?staffId=${ids["staff.id"]}`, staffUser.as());
    expect(filtered.body.data).toEqual([]);
    expect((await t.request("GET", `/v1/admin/bookings/${ids.own}`, staffUser.as())).status).toBe(200);
    const day = "from=2027-03-02&to=2027-03-02";
    const calendar = await t.request("GET", `/v1/admin/calendar?${day}`, staffUser.as());
    expect(calendar.body.staff.map((s: { id: string }) => s.id)).toEqual([salon.staffIds[0]]);
    expect(calendar.body.staff[0].bookings.map((b: { id: string }) => b.id)).toEqual([ids.own]);
    const theirs = await t.request("GET", `/v1/admin/calendar?${day}&staffId=${ids["staff.id"]}`, staffUser.as());
    expect(theirs.status).toBe(404);
    const timeline = await t.request("GET", `/v1/admin/bookings/${ids["bookings.id"]}/timeline`, staffUser.as());
    expect(timeline.status).toBe(404);
    expect((await t.request("GET", `/v1/admin/bookings/${ids.own}/timeline`, staffUser.as())).status).toBe(200);
    expect((await t.request("GET", `/v1/admin/staff/${salon.staffIds[0]}`, staffUser.as())).status).toBe(200);
    t.clock.now = new Date("2027-03-02T12:00:00Z");
    try {
      const done = await t.request("POST", `/v1/admin/bookings/${ids.own}/complete`, staffUser.as());
      expect(done.status).toBe(200);
      expect(done.body.status).toBe("completed");
      expect(
        (await t.request("POST", `/v1/admin/bookings/${ids["bookings.id"]}/complete`, staffUser.as())).status,
      ).toBe(404);
    } finally {
      t.clock.now = TEST_NOW;
    }
  });
});

describe("a manager session", () => {
  it("gets 403 on every owner-only operation (API keys among them) and changes nothing", async () => {
    const ownerOnly = operations.filter((op) => !mayCall("manager", op.key));
    expect(ownerOnly.map((op) => op.key)).toEqual(
      expect.arrayContaining(["GET /v1/admin/api-keys", "POST /v1/admin/api-keys", "DELETE /v1/admin/api-keys/{id}"]),
    );
    const before = await snapshot();
    for (const op of ownerOnly) expect((await call(op, manager, ids)).status, op.key).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it("may not touch the platform fee or owners, but runs the rest of the business", async () => {
    const before = await snapshot();
    // The platform fee is nobody's in the business (the platform sets it): an unknown policy for every role.
    const fee = await t.request("PATCH", "/v1/admin/tenant", manager.as({ body: { policies: { platformFeeBps: 0 } } }));
    expect(fee.status).toBe(400);
    const owner = await t.request(
      "POST",
      "/v1/admin/invitations",
      manager.as({ body: { email: "boss@example.com", role: "owner" } }),
    );
    expect(owner.status).toBe(403);
    const withdraw = await t.request("DELETE", `/v1/admin/invitations/${ids["invitations.id"]}`, manager.as());
    expect(withdraw.status).toBe(403);
    expect(await snapshot()).toEqual(before);
    const hold = await t.request("PATCH", "/v1/admin/tenant", manager.as({ body: { policies: { holdMinutes: 20 } } }));
    expect(hold.status).toBe(200);
    const staffInvite = await t.request(
      "POST",
      "/v1/admin/invitations",
      manager.as({ body: { email: "new-manager@example.com", role: "manager" } }),
    );
    expect(staffInvite.status).toBe(201);
  });
});

describe("a session of another business", () => {
  it("gets 404 for every id of this business, and changes nothing", async () => {
    const withIds = operations.filter((op) => op.path.includes("{"));
    const before = await snapshot();
    const unexpected: string[] = [];
    for (const op of withIds) {
      const res = await call(op, otherOwner, ids);
      if (res.status !== 404) unexpected.push(`${op.key}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    expect(unexpected).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });
});

describe("an API key", () => {
  it("keeps the owner's rights", async () => {
    const res = await t.request("GET", "/v1/admin/api-keys", { key: salon.tenant.apiKey });
    expect(res.status).toBe(200);
    const policies = await t.request("PATCH", "/v1/admin/tenant", {
      key: salon.tenant.apiKey,
      body: { policies: { holdMinutes: 25 } },
    });
    expect(policies.status).toBe(200);
  });
});
