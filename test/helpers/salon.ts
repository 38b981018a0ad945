// Builds a small business through the admin API for booking tests: one service, N staff with the same hours.
import type { TestApp, TestTenant } from "./app.ts";

export interface Salon {
  tenant: TestTenant;
  serviceId: string;
  staffIds: string[];
}

export interface SalonOptions {
  staff?: number;
  timezone?: string;
  service?: Record<string, unknown>;
  hours?: { weekday: number; start: string; end: string }[];
  /** Connect a Stripe account that can take charges (connectStripe): needed to book a deposit service online. */
  connected?: boolean;
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

export async function createSalon(t: TestApp, opts: SalonOptions = {}): Promise<Salon> {
  const tenant = await t.createTenant({ timezone: opts.timezone ?? "Europe/London", currency: "EUR" });
  if (opts.connected) await connectStripe(t, tenant.id);
  const svc = await t.request("POST", "/v1/admin/services", {
    key: tenant.apiKey,
    body: {
      name: "Cut",
      durationMinutes: 60,
      price: { amount: 5000, currency: "EUR" },
      slotStepMinutes: 15,
      staffIds: [],
      ...opts.service,
    },
  });
  if (svc.status !== 201) throw new Error(`service: ${svc.status} ${JSON.stringify(svc.body)}`);
  const staffIds: string[] = [];
  for (let i = 0; i < (opts.staff ?? 1); i++) {
    const st = await t.request("POST", "/v1/admin/staff", {
      key: tenant.apiKey,
      body: {
        name: `Stylist ${i + 1}`,
        commissionBps: 3000,
        serviceIds: [svc.body.id],
        weeklyHours: opts.hours ?? WEEKDAYS.map((weekday) => ({ weekday, start: "09:00", end: "17:00" })),
      },
    });
    if (st.status !== 201) throw new Error(`staff: ${st.status} ${JSON.stringify(st.body)}`);
    staffIds.push(st.body.id);
  }
  return { tenant, serviceId: svc.body.id, staffIds };
}

export const customer = (n: number | string = 1) => ({ name: `Customer ${n}`, email: `customer${n}@example.com` });

/**
 * Makes the business able to take payments online, as Stripe's `account.updated` would (a connected account with
 * charges enabled), set directly as the superuser: until then a service with a deposit cannot be booked online (409
 * PAYMENTS_NOT_READY). Tests that pay through the emulator connect through it instead.
 */
export async function connectStripe(t: TestApp, tenantId: string, account = `acct_test_${tenantId}`): Promise<void> {
  await t.database.admin(
    "UPDATE tenants SET stripe_account_id = $1, stripe_charges_enabled = true, stripe_payouts_enabled = true WHERE id = $2",
    [account, tenantId],
  );
}
