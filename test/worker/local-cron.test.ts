// The local stack runs wrangler.toml's cron as production does: nobody calls /__scheduled by hand here, yet a lapsed
// deposit hold is expired and its customer gets the "booking not completed" e-mail in the dev mailbox.
// The shortest hold a tenant may set is 5 minutes, too long for a test to wait: the test books a real 5-minute hold,
// checks its length, then moves its expiry into the past with SQL (the only shortcut), and the harness's cron driver
// fires every TEST_CRON_EVERY_MS instead of every minute. The driver's schedule itself is unit-tested on a fake clock
// in scripts/lib/cron.test.ts.
import { describe, expect, it } from "vitest";
import { randomString } from "../../worker/src/lib/ids.ts";
import { eventually, useWorker } from "../helpers/worker.ts";

const w = useWorker();

async function call(method: string, path: string, body?: unknown, key?: string) {
  const res = await w.fetch(path, {
    method,
    headers: { "content-type": "application/json", ...(key && { authorization: `Bearer ${key}` }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe("local cron (no manual /__scheduled)", () => {
  it("a lapsed 5-minute hold expires by itself and the customer's 'booking not completed' e-mail reaches the mailbox", async () => {
    const slug = `cron-${randomString(10)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, "a")}`;
    const signup = await call("POST", "/v1/signup", {
      businessName: "Cron Cuts",
      slug,
      timezone: "UTC",
      currency: "EUR",
      ownerEmail: `${slug}@example.com`,
      ownerPassword: "long enough password",
    });
    expect(signup.status).toBe(201);
    const key = signup.body.apiKey as string;
    expect((await call("PATCH", "/v1/admin/tenant", { policies: { holdMinutes: 5 } }, key)).status).toBe(200);
    const svc = await call(
      "POST",
      "/v1/admin/services",
      {
        name: "Colour",
        durationMinutes: 60,
        price: { amount: 8000, currency: "EUR" },
        deposit: { percent: 25 },
        staffIds: [],
      },
      key,
    );
    expect(svc.status).toBe(201);
    const staff = await call(
      "POST",
      "/v1/admin/staff",
      {
        name: "S",
        commissionBps: 0,
        serviceIds: [svc.body.id],
        weeklyHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" })),
      },
      key,
    );
    expect(staff.status).toBe(201);
    // A deposit is booked online only once the business can take charges (as Stripe's account.updated would say).
    await w.database.admin("UPDATE tenants SET stripe_account_id = $1, stripe_charges_enabled = true WHERE id = $2", [
      `acct_cron_${slug}`,
      signup.body.tenant.id,
    ]);
    const start = new Date(Math.ceil((Date.now() + 2 * 86_400_000) / 3_600_000) * 3_600_000)
      .toISOString()
      .replace(".000", "");
    const email = `late-${slug}@example.com`;
    const booked = await call("POST", `/v1/public/${slug}/bookings`, {
      serviceId: svc.body.id,
      start,
      customer: { name: "Late Payer", email },
    });
    expect(booked.status).toBe(201);
    expect(booked.body.booking.status).toBe("pending_payment");
    const id = booked.body.booking.id as string;
    const [hold] = await w.database.admin<{ minutes: number }>(
      "SELECT extract(epoch FROM hold_expires_at - created_at) / 60 AS minutes FROM bookings WHERE id = $1",
      [id],
    );
    expect(Math.round(Number(hold?.minutes))).toBe(5);

    // Five minutes pass (the one shortcut: the hold's expiry moves into the past instead of the test waiting).
    await w.database.admin("UPDATE bookings SET hold_expires_at = now() - interval '1 second' WHERE id = $1", [id]);

    const status = await eventually(
      async () => (await w.database.admin("SELECT status FROM bookings WHERE id = $1", [id]))[0]?.status,
      (s) => s === "expired",
      20_000,
    );
    expect(status).toBe("expired");
    const mailbox = await eventually(
      async () => (await w.fetch("/dev/mailbox")).text(),
      (html) => html.includes(email) && html.includes("Booking not completed"),
      20_000,
    );
    expect(mailbox).toContain("Booking not completed: Colour");
    expect(w.cron.fired).toBeGreaterThan(0);
  });
});
