// Scripted dashboard data for the browser tests and the bench: a signed-in owner of a business in Madrid, and a
// calendar of any size (staff working 09–19, bookings spread over the week of 1 March 2027).
import type { Page, Route } from "playwright-core";

export const TZ = "Europe/Madrid";
// Tuesday 2 March 2027, 12:00 in Madrid: the browser's clock for every page (Today and the calendar read it)
export const NOW = new Date("2027-03-02T11:00:00Z");

export const SESSION = {
  user: { id: "usr_1", email: "owner@example.com", name: "Olga Owner" },
  tenant: { id: "ten_1", slug: "demo-salon", name: "Demo Salon", timezone: TZ, currency: "EUR" },
  role: "owner",
  staffId: null,
};

export interface Booking {
  id: string;
  status: string;
  start: string;
  end: string;
  serviceId: string;
  serviceName: string;
  staffId: string;
  customer: { id: string; name: string; email: string; phone: string | null };
  holdExpiresAt: string | null;
  price: { amount: number; currency: string };
}

export const iso = (date: string, hh: number, mm = 0) =>
  // Madrid is UTC+1 in March 2027 (until the 28th)
  new Date(Date.parse(`${date}T00:00:00Z`) + ((hh - 1) * 60 + mm) * 60_000).toISOString();

export function booking(
  id: string,
  staffId: string,
  date: string,
  hh: number,
  mm: number,
  status = "confirmed",
): Booking {
  return {
    id,
    status,
    start: iso(date, hh, mm),
    end: iso(date, hh, mm + 45),
    serviceId: "svc_cut",
    serviceName: "Haircut",
    staffId,
    customer: { id: `cus_${id}`, name: `Customer ${id}`, email: `${id}@example.com`, phone: null },
    holdExpiresAt: status === "pending_payment" ? iso(date, 12, 15) : null,
    price: { amount: 3000, currency: "EUR" },
  };
}

export const WEEK = ["2027-03-01", "2027-03-02", "2027-03-03", "2027-03-04", "2027-03-05", "2027-03-06", "2027-03-07"];

/** `staffCount` members working 09–19 each day of the week, `perStaff` bookings each spread over the week. */
export function calendar(staffCount: number, perStaff: number, from: string, to: string) {
  const dates = WEEK.filter((d) => d >= from && d <= to);
  return {
    timezone: TZ,
    from,
    to,
    staff: Array.from({ length: staffCount }, (_, s) => {
      const id = `stf_${s}`;
      return {
        id,
        name: `Stylist ${s}`,
        days: dates.map((date) => ({ date, working: [{ start: iso(date, 9), end: iso(date, 19) }] })),
        timeOff: dates.includes("2027-03-03")
          ? [{ id: `off_${s}`, start: iso("2027-03-03", 13), end: iso("2027-03-03", 14), reason: "Lunch" }]
          : [],
        bookings: Array.from({ length: perStaff }, (_, k) => {
          const date = dates[k % dates.length]!;
          const slot = Math.floor(k / dates.length);
          return booking(`bkg_${s}_${k}`, id, date, 9 + slot, (k * 15) % 30);
        }),
      };
    }),
  };
}

/** Scripts the signed-in owner's API: the session, services, the calendar (as `cal` answers) and `extra` routes. */
export async function signedIn(
  page: Page,
  cal: (from: string, to: string) => unknown,
  extra: Record<string, (r: Route) => unknown> = {},
) {
  await page.clock.setFixedTime(NOW);
  await page.route("**/v1/auth/session", (r) => r.fulfill({ json: SESSION }));
  await page.route("**/v1/admin/services*", (r) =>
    r.fulfill({
      json: {
        data: [
          {
            id: "svc_cut",
            name: "Haircut",
            durationMinutes: 45,
            staffIds: Array.from({ length: 10 }, (_, i) => `stf_${i}`),
          },
        ],
        nextCursor: null,
      },
    }),
  );
  await page.route("**/v1/admin/calendar?*", (r) => {
    const u = new URL(r.request().url());
    return r.fulfill({ json: cal(u.searchParams.get("from")!, u.searchParams.get("to")!) });
  });
  for (const [pattern, handler] of Object.entries(extra)) await page.route(pattern, handler);
}
