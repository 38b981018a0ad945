// Pages through one day's bookings (the tenant's local day) with the admin client and prints them, then a summary:
// the shape of a nightly export to a spreadsheet, accounting or a CRM.
//   BOOKRA_API_KEY=$(cat ../../.data/demo-admin-key) npm run sync -- 2027-03-01
import { type AdminBooking, BookraError, createBookraAdmin } from "@bookra/sdk/admin";

const apiKey = process.env.BOOKRA_API_KEY;
if (!apiKey) {
  console.error("Set BOOKRA_API_KEY (after `npm start`, the demo key is in .data/demo-admin-key).");
  process.exit(1);
}
const admin = createBookraAdmin({ baseUrl: process.env.BOOKRA_API_URL ?? "http://127.0.0.1:8787", apiKey });

/** The UTC instant of local midnight starting `date` in `timeZone` (correct across DST changes). */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const guess = new Date(`${date}T00:00:00Z`);
  let instant = guess;
  for (let i = 0; i < 2; i++) {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-CA", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      })
        .formatToParts(instant)
        .map((p) => [p.type, p.value]),
    );
    const asUtc = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
    instant = new Date(instant.getTime() - (asUtc - guess.getTime()));
  }
  return instant;
}

const nextDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

async function main(): Promise<void> {
  const tenant = await admin.tenant.get();
  const date = process.argv[2] ?? new Intl.DateTimeFormat("en-CA", { timeZone: tenant.timezone }).format(new Date());
  const from = startOfLocalDay(date, tenant.timezone).toISOString();
  const to = startOfLocalDay(nextDate(date), tenant.timezone).toISOString();
  console.log(`${tenant.name}: bookings on ${date} (${tenant.timezone}), ${from} → ${to}`);

  const byStatus = new Map<AdminBooking["status"], number>();
  let revenue = 0;
  let count = 0;
  // `for await` follows nextCursor page by page (20 at a time here) until the day is exhausted.
  for await (const b of admin.bookings.list({ from, to, limit: 20 })) {
    count++;
    byStatus.set(b.status, (byStatus.get(b.status) ?? 0) + 1);
    if (b.status === "confirmed" || b.status === "completed") revenue += b.price.amount;
    const local = new Date(b.start).toLocaleTimeString("en-GB", {
      timeZone: tenant.timezone,
      hour: "2-digit",
      minute: "2-digit",
    });
    console.log([b.id, local, b.status, b.customer.name, b.customer.email, b.staffId, b.serviceId].join("\t"));
  }
  const statuses = [...byStatus].map(([s, n]) => `${s} ${n}`).join(", ") || "none";
  console.log(
    `${count} bookings (${statuses}); confirmed or completed value ${(revenue / 100).toFixed(2)} ${tenant.currency}`,
  );
}

main().catch((err: unknown) => {
  if (err instanceof BookraError)
    console.error(`${err.name} ${err.code}: ${err.message} (request ${err.requestId ?? "n/a"})`);
  else console.error(err);
  process.exit(1);
});
