// Issue 13's first payment figure: a booking with a deposit until it is confirmed (hold → the booking's Checkout
// Session on the local Stripe emulator → "Pay" → Stripe's signed webhook → confirmed, with its ledger entry),
// against a booking that owes nothing up front (confirmed in its 201). Same stack, same tenant, sequential.
import type { RunningStack } from "../scripts/lib/stack.ts";
import { api, benchRounds, signupBenchTenant, spread } from "./lib.ts";

/** Pairs of bookings per round: 5 rounds of 3 = the 15 of one run before. */
const RUNS_PER_ROUND = 3;
const ROUNDS = benchRounds();

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (performance.now() > deadline) throw new Error("timed out waiting for the booking to be confirmed");
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function benchPayments(stack: RunningStack) {
  const base = stack.baseUrl;
  const { key } = await signupBenchTenant(stack, `pay-${process.pid}`);
  const slug = `pay-${process.pid}`;
  const link = await api(base, "POST", "/v1/admin/payments/connect", {}, key);
  if (link.status !== 200) throw new Error(`connect answered ${link.status}`);
  await fetch(link.body.url, { method: "POST", body: new URLSearchParams({ action: "complete" }), redirect: "manual" });
  await until(
    () => api(base, "GET", "/v1/admin/payments", undefined, key),
    (r) => r.body.chargesEnabled === true,
  );
  const service = async (deposit: boolean) =>
    (
      await api(
        base,
        "POST",
        "/v1/admin/services",
        {
          name: deposit ? "With deposit" : "Pay at the venue",
          durationMinutes: 30,
          price: { amount: 4000, currency: "EUR" },
          ...(deposit && { deposit: { percent: 25 } }),
          staffIds: [],
        },
        key,
      )
    ).body.id as string;
  const withDeposit = await service(true);
  const plain = await service(false);
  const staff = await api(
    base,
    "POST",
    "/v1/admin/staff",
    {
      name: "Bench",
      commissionBps: 0,
      serviceIds: [withDeposit, plain],
      weeklyHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" })),
    },
    key,
  );
  if (staff.status !== 201) throw new Error(`staff answered ${staff.status}`);
  const day = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) + 3 * 86_400_000;
  let n = 0;
  const startAt = () => new Date(day + n++ * 30 * 60_000).toISOString().replace(".000", "");
  const book = (serviceId: string, i: number) =>
    api(base, "POST", `/v1/public/${slug}/bookings`, {
      serviceId,
      start: startAt(),
      customer: { name: `Bench ${i}`, email: `bench-${i}-${process.pid}@example.com` },
    });

  const plainMs: number[][] = [];
  const depositMs: number[][] = [];
  for (let i = 0; i < ROUNDS * RUNS_PER_ROUND; i++) {
    if (i % RUNS_PER_ROUND === 0) {
      plainMs.push([]);
      depositMs.push([]);
    }
    const t0 = performance.now();
    const a = await book(plain, i);
    if (a.status !== 201 || a.body.booking.status !== "confirmed") throw new Error(`plain booking ${a.status}`);
    plainMs.at(-1)!.push(performance.now() - t0);

    const t1 = performance.now();
    const b = await book(withDeposit, 100 + i);
    if (b.status !== 201) throw new Error(`deposit booking ${b.status}: ${JSON.stringify(b.body)}`);
    const checkout = await fetch(b.body.checkout.url, { redirect: "manual" });
    const session = checkout.headers.get("location");
    if (checkout.status !== 303 || !session) throw new Error(`checkout link answered ${checkout.status}`);
    await fetch(session, { method: "POST", body: new URLSearchParams({ action: "pay" }), redirect: "manual" });
    const path = `/v1/public/${slug}/bookings/${b.body.booking.id}?token=${b.body.manageToken}`;
    await until(
      () => api(base, "GET", path),
      (r) => r.body.status === "confirmed",
    );
    depositMs.at(-1)!.push(performance.now() - t1);
  }
  const p = spread(plainMs);
  const d = spread(depositMs);
  return {
    runsPerRound: RUNS_PER_ROUND,
    bookingNoPaymentMs: p,
    bookingWithDepositUntilConfirmedMs: d,
    ratioP50: Math.round((d.p50 / p.p50) * 10) / 10,
  };
}
