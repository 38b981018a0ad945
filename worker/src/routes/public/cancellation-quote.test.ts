// GET /v1/public/{tenant}/bookings/{id}/cancellation (issue 13 item 5): what cancelling now would refund, before the
// customer confirms — by the tenant's policy, authorised by the manage token, changing nothing.
import { describe, expect, it } from "vitest";
import { TEST_NOW, useTestApp } from "../../../../test/helpers/app.ts";
import { paidBooking } from "../../../../test/helpers/paid-booking.ts";
import { snapshotRows } from "../../../../test/helpers/rows.ts";
import { createSalon } from "../../../../test/helpers/salon.ts";
import { CancellationQuote } from "../../schemas/refund.ts";

const t = useTestApp();

async function setup() {
  t.clock.now = TEST_NOW;
  const s = await createSalon(t);
  await t.request("PATCH", "/v1/admin/tenant", {
    key: s.tenant.apiKey,
    body: { policies: { cancellation: { freeUntilHours: 24, lateKeepPercent: 25 } } },
  });
  return s;
}

describe("GET /v1/public/{tenant}/bookings/{id}/cancellation", () => {
  it("quotes a full refund inside the free window and the late fee after it, changing nothing", async () => {
    const s = await setup();
    const far = await paidBooking(t, s, "2027-03-03T10:00:00Z", { amount: 2000 });
    const before = await snapshotRows(t, s.tenant.id, ["refunds", "journal_entries", "bookings"]);
    const path = `/v1/public/${s.tenant.slug}/bookings/${far.id}/cancellation`;
    const free = await t.request("GET", path, { headers: { authorization: `Bearer ${far.manageToken}` } });
    expect(free.status).toBe(200);
    expect(CancellationQuote.parse(free.body)).toEqual({
      bookingId: far.id,
      rule: "free_window",
      paid: { amount: 2000, currency: "EUR" },
      refund: { amount: 2000, currency: "EUR" },
      fee: { amount: 0, currency: "EUR" },
      freeUntil: "2027-03-02T10:00:00.000Z",
      cancellable: true,
    });
    t.clock.now = new Date("2027-03-02T10:00:01Z");
    try {
      const late = await t.request("GET", `${path}?token=${encodeURIComponent(far.manageToken)}`);
      expect(late.body).toMatchObject({ rule: "late_cancellation", refund: { amount: 1500 }, fee: { amount: 500 } });
    } finally {
      t.clock.now = TEST_NOW;
    }
    expect(await snapshotRows(t, s.tenant.id, ["refunds", "journal_entries", "bookings"])).toEqual(before);
  });

  it("quotes nothing for a cancelled booking", async () => {
    const s = await setup();
    const b = await paidBooking(t, s, "2027-03-03T10:00:00Z", { amount: 2000 });
    const auth = { headers: { authorization: `Bearer ${b.manageToken}` } };
    await t.request("POST", `/v1/public/${s.tenant.slug}/bookings/${b.id}/cancel`, auth);
    const res = await t.request("GET", `/v1/public/${s.tenant.slug}/bookings/${b.id}/cancellation`, auth);
    expect(res.body).toMatchObject({ cancellable: false, refund: { amount: 0 }, paid: { amount: 2000 } });
  });

  it("answers 401 without a token and 404 with a wrong one or from another tenant", async () => {
    const s = await setup();
    const b = await paidBooking(t, s, "2027-03-03T10:00:00Z", { amount: 2000 });
    const path = `/v1/public/${s.tenant.slug}/bookings/${b.id}/cancellation`;
    const none = await t.request("GET", path);
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe("UNAUTHENTICATED");
    const wrong = await t.request("GET", path, { headers: { authorization: "Bearer not-the-token" } });
    expect(wrong.status).toBe(404);
    const other = await t.createTenant();
    const elsewhere = await t.request("GET", `/v1/public/${other.slug}/bookings/${b.id}/cancellation`, {
      headers: { authorization: `Bearer ${b.manageToken}` },
    });
    expect(elsewhere.status).toBe(404);
  });
});
