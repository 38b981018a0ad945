// /v1/admin/customers: search with cursors, a customer's bookings and counts, private notes that stay private.
import { describe, expect, it } from "vitest";
import { useTestApp } from "../../../../test/helpers/app.ts";
import { createSalon } from "../../../../test/helpers/salon.ts";
import { CustomerDetail, CustomerList } from "../../schemas/customer.ts";

const t = useTestApp();

async function book(key: string, serviceId: string, start: string, customer: Record<string, string>) {
  const r = await t.request("POST", "/v1/admin/bookings", { key, body: { serviceId, start, customer } });
  expect(r.status).toBe(201);
  return r.body as { booking: { id: string }; manageToken: string };
}

describe("admin customers", () => {
  it("searches customers page by page and shows one with counts, bookings and private notes", async () => {
    t.clock.now = new Date("2027-03-01T08:00:00Z");
    const s = await createSalon(t);
    const key = s.tenant.apiKey;
    const eva = { name: "Eva Lind", email: "eva@lind.example", phone: "+46 70 123 45 67" };
    const made: { booking: { id: string }; manageToken: string }[] = [];
    for (const [h, who] of [
      [9, eva],
      [10, { name: "Finn", email: "finn@example.com" }],
      [11, eva],
      [12, eva],
      [13, eva],
      [14, { name: "Gus Evans", email: "gus@example.com" }],
    ] as const)
      made.push(await book(key, s.serviceId, `2027-03-02T${String(h).padStart(2, "0")}:00:00Z`, who));
    t.clock.now = new Date("2027-03-02T15:30:00Z");
    expect((await t.request("POST", `/v1/admin/bookings/${made[0]!.booking.id}/complete`, { key })).status).toBe(200);
    expect((await t.request("POST", `/v1/admin/bookings/${made[2]!.booking.id}/no-show`, { key })).status).toBe(200);
    t.clock.now = new Date("2027-03-01T08:00:00Z");
    expect((await t.request("POST", `/v1/admin/bookings/${made[3]!.booking.id}/cancel`, { key })).status).toBe(200);

    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await t.request("GET", `/v1/admin/customers?limit=1${cursor ? `&cursor=${cursor}` : ""}`, { key });
      expect(r.status).toBe(200);
      const page = CustomerList.parse(r.body);
      names.push(...page.data.map((c) => c.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(names).toEqual(["Eva Lind", "Finn", "Gus Evans"]);
    const evs = CustomerList.parse((await t.request("GET", "/v1/admin/customers?q=%20EV%20", { key })).body).data;
    expect(evs.map((c) => c.name)).toEqual(["Eva Lind", "Gus Evans"]);
    const byPhone = CustomerList.parse((await t.request("GET", "/v1/admin/customers?q=70123", { key })).body).data;
    expect(byPhone).toHaveLength(1);
    const evaId = byPhone[0]!.id;
    const detail = CustomerDetail.parse((await t.request("GET", `/v1/admin/customers/${evaId}`, { key })).body);
    expect(detail).toMatchObject({
      name: "Eva Lind",
      phone: eva.phone,
      notes: null,
      counts: { total: 4, completed: 1, noShows: 1, cancelled: 1 },
    });
    expect(detail.bookings.map((b) => b.id)).toEqual([4, 3, 2, 0].map((i) => made[i]!.booking.id)); // newest first

    const note = "Prefers the window seat; allergic to lavender.";
    const patched = await t.request("PATCH", `/v1/admin/customers/${evaId}`, { key, body: { notes: note } });
    expect(patched.status).toBe(200);
    expect(CustomerDetail.parse(patched.body).notes).toBe(note);
    expect(CustomerDetail.parse((await t.request("GET", `/v1/admin/customers/${evaId}`, { key })).body).notes).toBe(
      note,
    );
    // Never in a public response: the customer's own booking page, the catalogue.
    const own = await t.request("GET", `/v1/public/${s.tenant.slug}/bookings/${made[4]!.booking.id}`, {
      headers: { authorization: `Bearer ${made[4]!.manageToken}` },
    });
    expect(own.status).toBe(200);
    expect(JSON.stringify(own.body)).not.toContain("lavender");
    expect(JSON.stringify((await t.request("GET", `/v1/public/${s.tenant.slug}/catalog`)).body)).not.toContain(
      "lavender",
    );
    expect(
      (await t.request("PATCH", `/v1/admin/customers/${evaId}`, { key, body: { notes: null } })).body.notes,
    ).toBeNull();
  });

  it("refuses bad input with a 400 and changes nothing; another business's customer is 404", async () => {
    const a = await createSalon(t);
    const b = await createSalon(t);
    t.clock.now = new Date("2027-03-01T08:00:00Z");
    await book(a.tenant.apiKey, a.serviceId, "2027-03-02T09:00:00Z", { name: "Hal", email: "hal@example.com" });
    const id = CustomerList.parse((await t.request("GET", "/v1/admin/customers", { key: a.tenant.apiKey })).body)
      .data[0]!.id;
    const key = a.tenant.apiKey;
    for (const body of [
      { notes: "x".repeat(5001) },
      { notes: 5 },
      { notes: "ok", name: "Bob" },
      {},
      { notes: "a\u0000" },
    ]) {
      const r = await t.request("PATCH", `/v1/admin/customers/${id}`, { key, body });
      expect(r.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(r.body.error.code).toBe("VALIDATION_FAILED");
    }
    expect(
      (await t.request("PATCH", `/v1/admin/customers/${id}`, { key, body: { notes: "y".repeat(5000) } })).status,
    ).toBe(200);
    for (const q of [`q=${"z".repeat(101)}`, "cursor=", "cursor=bm9wZQ", "limit=0"])
      expect((await t.request("GET", `/v1/admin/customers?${q}`, { key })).status, q).toBe(400);
    const other = b.tenant.apiKey;
    expect((await t.request("GET", `/v1/admin/customers/${id}`, { key: other })).status).toBe(404);
    expect(
      (await t.request("PATCH", `/v1/admin/customers/${id}`, { key: other, body: { notes: "mine" } })).status,
    ).toBe(404);
    expect(CustomerList.parse((await t.request("GET", "/v1/admin/customers", { key: other })).body).data).toEqual([]);
    expect((await t.request("GET", "/v1/admin/customers/cus_00000000000000000000", { key })).status).toBe(404);
    expect((await t.request("GET", "/v1/admin/customers/not-an-id", { key })).status).toBe(404);
    expect((await t.request("GET", `/v1/admin/customers/${id}`)).status).toBe(401);
    const [row] = await t.database.admin<{ notes: string }>("SELECT notes FROM customers WHERE id = $1", [id]);
    expect(row!.notes).toBe("y".repeat(5000));
  });
});
