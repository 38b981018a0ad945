import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { useTestApp } from "../../../../test/helpers/app.ts";
import { createSalon, customer } from "../../../../test/helpers/salon.ts";
import { AdminBooking, BookingList } from "../../schemas/booking.ts";

const t = useTestApp();
beforeEach(() => {
  t.clock.now = new Date("2027-03-01T08:00:00Z");
});

async function adminBook(key: string, body: Record<string, unknown>, headers?: Record<string, string>) {
  return t.request("POST", "/v1/admin/bookings", { key, body, ...(headers && { headers }) });
}

describe("admin bookings", () => {
  it("books a phone customer under the same rules, lists with filters across pages, and reads one", async () => {
    const s = await createSalon(t, { staff: 2 });
    const key = s.tenant.apiKey;
    const made = [];
    for (let h = 9; h < 14; h++) {
      const r = await adminBook(key, {
        serviceId: s.serviceId,
        staffId: s.staffIds[h % 2],
        start: `2027-03-02T${String(h).padStart(2, "0")}:00:00Z`,
        customer: customer(`p${h}`),
        notes: "phone",
      });
      expect(r.status).toBe(201);
      made.push(r.body.booking.id);
    }
    const offGrid = await adminBook(key, {
      serviceId: s.serviceId,
      start: "2027-03-02T09:07:00Z",
      customer: customer("x"),
    });
    expect(offGrid.status).toBe(409);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await t.request(
        "GET",
        `/v1/admin/bookings?limit=2&from=2027-03-02T00:00:00Z&to=2027-03-03T00:00:00Z${cursor ? `&cursor=${cursor}` : ""}`,
        { key },
      );
      expect(page.status).toBe(200);
      const body = BookingList.parse(page.body);
      expect(body.data.length).toBeLessThanOrEqual(2);
      seen.push(...body.data.map((b) => b.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(made); // sorted by start, each once
    const byStaff = BookingList.parse(
      (await t.request("GET", `/v1/admin/bookings?staffId=${s.staffIds[0]}`, { key })).body,
    );
    expect(byStaff.data.every((b) => b.staffId === s.staffIds[0])).toBe(true);
    expect(byStaff.data).toHaveLength(2);
    const one = AdminBooking.parse((await t.request("GET", `/v1/admin/bookings/${made[0]}`, { key })).body);
    expect(one).toMatchObject({ source: "admin", notes: "phone", customer: { email: "customerp9@example.com" } });
  });

  it("completes, marks no-show only after the start, cancels and reschedules, refusing impossible moves", async () => {
    const s = await createSalon(t);
    const key = s.tenant.apiKey;
    const a = (await adminBook(key, { serviceId: s.serviceId, start: "2027-03-01T10:00:00Z", customer: customer("a") }))
      .body.booking.id;
    const b = (await adminBook(key, { serviceId: s.serviceId, start: "2027-03-01T12:00:00Z", customer: customer("b") }))
      .body.booking.id;
    expect((await t.request("POST", `/v1/admin/bookings/${a}/no-show`, { key })).status).toBe(409);
    const moved = await t.request("POST", `/v1/admin/bookings/${b}/reschedule`, {
      key,
      body: { start: "2027-03-01T10:30:00Z" },
    });
    expect(moved.status).toBe(409); // overlaps a
    const movedOk = await t.request("POST", `/v1/admin/bookings/${b}/reschedule`, {
      key,
      body: { start: "2027-03-01T14:00:00Z" },
    });
    expect(movedOk.body.start).toBe("2027-03-01T14:00:00Z");
    t.clock.now = new Date("2027-03-01T11:30:00Z");
    expect(
      (await t.request("POST", `/v1/admin/bookings/${a}/reschedule`, { key, body: { start: "2027-03-01T15:00:00Z" } }))
        .status,
    ).toBe(409);
    expect((await t.request("POST", `/v1/admin/bookings/${a}/complete`, { key })).body.status).toBe("completed");
    expect((await t.request("POST", `/v1/admin/bookings/${a}/cancel`, { key })).status).toBe(409);
    expect((await t.request("POST", `/v1/admin/bookings/${b}/cancel`, { key })).body.status).toBe("cancelled");
    expect((await t.request("POST", `/v1/admin/bookings/${b}/complete`, { key })).status).toBe(409);
  });

  it("keeps tenants apart: another tenant's booking ids are 404 and unchanged; no key is 401", async () => {
    const a = await createSalon(t);
    const b = await createSalon(t);
    const id = (
      await adminBook(a.tenant.apiKey, { serviceId: a.serviceId, start: "2027-03-02T09:00:00Z", customer: customer() })
    ).body.booking.id;
    for (const action of ["cancel", "complete", "no-show"]) {
      expect((await t.request("POST", `/v1/admin/bookings/${id}/${action}`, { key: b.tenant.apiKey })).status).toBe(
        404,
      );
    }
    expect(
      (
        await t.request("POST", `/v1/admin/bookings/${id}/reschedule`, {
          key: b.tenant.apiKey,
          body: { start: "2027-03-02T11:00:00Z" },
        })
      ).status,
    ).toBe(404);
    expect((await t.request("GET", `/v1/admin/bookings/${id}`, { key: b.tenant.apiKey })).status).toBe(404);
    expect(
      BookingList.parse((await t.request("GET", "/v1/admin/bookings", { key: b.tenant.apiKey })).body).data,
    ).toHaveLength(0);
    expect(
      (
        await adminBook(b.tenant.apiKey, {
          serviceId: a.serviceId,
          start: "2027-03-02T10:00:00Z",
          customer: customer(),
        })
      ).status,
    ).toBe(404);
    expect((await t.request("GET", "/v1/admin/bookings")).status).toBe(401);
    expect((await t.request("POST", `/v1/admin/bookings/${id}/cancel`)).status).toBe(401);
    const row = await t.database.admin("SELECT status, starts_at FROM bookings WHERE id = $1", [id]);
    expect(row[0]).toEqual({ status: "confirmed", starts_at: new Date("2027-03-02T09:00:00Z") });
  });

  it.each([
    ["a bad cursor", "/v1/admin/bookings?cursor=not-a-cursor"],
    ["a bad status", "/v1/admin/bookings?status=maybe"],
    ["a limit of 0", "/v1/admin/bookings?limit=0"],
    ["a rolled-over date", "/v1/admin/bookings?from=2027-02-30T00:00:00Z"],
  ])("rejects %s with 400", async (_n, path) => {
    const s = await createSalon(t);
    const res = await t.request("GET", path, { key: s.tenant.apiKey });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
  });

  it("answers garbage of any shape on every booking route with a 4xx, never a 500", async () => {
    const s = await createSalon(t);
    const id = (
      await adminBook(s.tenant.apiKey, { serviceId: s.serviceId, start: "2027-03-02T09:00:00Z", customer: customer() })
    ).body.booking.id;
    const routes: [string, string, string | undefined][] = [
      ["POST", "/v1/admin/bookings", s.tenant.apiKey],
      ["POST", `/v1/admin/bookings/${id}/reschedule`, s.tenant.apiKey],
      ["POST", `/v1/public/${s.tenant.slug}/bookings`, undefined],
      ["POST", `/v1/public/${s.tenant.slug}/bookings/${id}/reschedule`, undefined],
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.oneof(fc.jsonValue(), fc.record({ serviceId: fc.string(), start: fc.string(), customer: fc.anything() })),
        async ([method, path, key], body) => {
          const res = await t.request(method, path, {
            body,
            ...(key && { key }),
            headers: { authorization: key ? `Bearer ${key}` : "Bearer mt_x" },
          });
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 60 },
    );
    for (const weird of ["a%00b", "%E2%80%AE", "x".repeat(300), "%27%3B--"]) {
      const r1 = await t.request("GET", `/v1/admin/bookings/${weird}`, { key: s.tenant.apiKey });
      expect(r1.status).toBeLessThan(500);
      const r2 = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings/${weird}/cancel`, {
        headers: { authorization: "Bearer mt_x" },
      });
      expect(r2.status).toBeLessThan(500);
      const r3 = await t.request(
        "GET",
        `/v1/public/${s.tenant.slug}/availability?serviceId=${weird}&from=2027-03-02&to=2027-03-02`,
      );
      expect(r3.status).toBeLessThan(500);
    }
  });
});
