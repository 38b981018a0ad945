// Blocking time from the dashboard: time off removes slots from the public availability, and deleting it offers
// them again (the schedule cache must not keep the block).
import { describe, expect, it } from "vitest";
import { useTestApp } from "../../../../test/helpers/app.ts";
import { createSalon } from "../../../../test/helpers/salon.ts";

const t = useTestApp();

describe("time off and availability", () => {
  it("a blocked afternoon stops being offered, and is offered again once the block is deleted", async () => {
    t.clock.now = new Date("2027-03-01T08:00:00Z");
    const s = await createSalon(t);
    const key = s.tenant.apiKey;
    const staffId = s.staffIds[0]!;
    const starts = async () => {
      const r = await t.request(
        "GET",
        `/v1/public/${s.tenant.slug}/availability?serviceId=${s.serviceId}&from=2027-03-02&to=2027-03-02`,
      );
      expect(r.status).toBe(200);
      return (r.body.slots as { start: string }[]).map((x) => x.start);
    };
    const before = await starts();
    expect(before).toContain("2027-03-02T14:00:00Z");
    const off = await t.request("POST", `/v1/admin/staff/${staffId}/time-off`, {
      key,
      body: { start: "2027-03-02T13:00:00Z", end: "2027-03-02T17:00:00Z", reason: "Blocked" },
    });
    expect(off.status).toBe(201);
    const blocked = await starts();
    expect(blocked.filter((x) => x >= "2027-03-02T12:15:00Z")).toEqual([]); // 60 min: 12:00 is the last start
    expect(blocked).toContain("2027-03-02T12:00:00Z");
    const del = await t.request("DELETE", `/v1/admin/staff/${staffId}/time-off/${off.body.id}`, { key });
    expect(del.status).toBe(204);
    expect(await starts()).toEqual(before);
    expect((await t.request("DELETE", `/v1/admin/staff/${staffId}/time-off/${off.body.id}`, { key })).status).toBe(404);
  });
});
