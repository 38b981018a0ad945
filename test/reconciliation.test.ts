// Reconciliation with Stripe, payouts and the ledger's own checks (issue 14 items 3, 5, 6), on the real Postgres and
// the Stripe emulator: a clean run after real flows finds 0 differences; each kind of difference the emulator can
// make (a fee changed after the fact, a charge Bookra never heard of, a refund whose events were dropped, a payout
// reported with a different amount, an entry naming a transaction Stripe does not have) is caught with its kind and
// nothing is posted; a payout lists the appointments in it; the scheduled checks stay silent on a healthy ledger and
// fire (alert row and log line) on a line forged by the superuser.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { depositPaid } from "../worker/src/domain/ledger.ts";
import { createRefundHandler } from "../worker/src/effects/handlers/refund.ts";
import { stripeRefundProvider } from "../worker/src/effects/stripe-refunds.ts";
import { paymentsProviderFor } from "../worker/src/providers/stripe.ts";
import { postEntry } from "../worker/src/services/ledger/post.ts";
import { checkLedger } from "../worker/src/services/reconciliation/ledger-checks.ts";
import { runMoneyChecks } from "../worker/src/services/reconciliation/scheduled.ts";
import { TEST_NOW, useTestApp } from "./helpers/app.ts";
import { createSalon, customer, type Salon } from "./helpers/salon.ts";
import { type Delivered, EMULATOR_API_KEY, useStripeEmulator } from "./helpers/stripe-emulator.ts";

const t = useTestApp();
const stripe = useStripeEmulator(t);
beforeEach(() => {
  t.clock.now = TEST_NOW;
});
afterEach(() => {
  vi.restoreAllMocks();
});

interface Shop {
  s: Salon;
  account: string;
  key: string;
}

async function shop(): Promise<Shop> {
  const s = await createSalon(t, { service: { deposit: { percent: 20 } } });
  const link = await t.request("POST", "/v1/admin/payments/connect", { key: s.tenant.apiKey });
  expect(link.status).toBe(200);
  const account = link.body.state.accountId as string;
  await fetch(link.body.url, { method: "POST", body: new URLSearchParams({ action: "complete" }), redirect: "manual" });
  await stripe.waitFor((d) => d.account === account && d.type === "account.updated" && d.result === "applied");
  return { s, account, key: s.tenant.apiKey };
}

const count = (pred: (d: Delivered) => boolean) => stripe.delivered.filter(pred).length;
const from = (account: string, type: string) => (d: Delivered) => d.account === account && d.type === type;

async function eventAfter(account: string, type: string, action: () => Promise<unknown>, status?: string) {
  const match = (d: Delivered) =>
    from(account, type)(d) && (!status || JSON.parse(d.raw).data.object.status === status);
  const seen = count(match);
  await action();
  await stripe.waitFor(match, seen + 1);
}

/** A booking paid on the emulator's page (its checkout applied): the booking id and its PaymentIntent. */
async function paid(p: Shop, start: string) {
  const res = await t.request("POST", `/v1/public/${p.s.tenant.slug}/bookings`, {
    body: { serviceId: p.s.serviceId, start, customer: customer(Math.random().toString(36).slice(2, 8)) },
  });
  expect(res.status).toBe(201);
  const url = new URL(res.body.checkout.url as string);
  const to = await t.app.request(url.pathname + url.search, { redirect: "manual" });
  await eventAfter(p.account, "checkout.session.completed", () =>
    fetch(to.headers.get("location")!, {
      method: "POST",
      body: new URLSearchParams({ action: "pay" }),
      redirect: "manual",
    }),
  );
  const [row] = await t.database.admin("SELECT provider_ref FROM payments WHERE booking_id = $1", [
    res.body.booking.id,
  ]);
  return { id: res.body.booking.id as string, pi: row!.provider_ref as string };
}

const stripeApi = (p: Shop, path: string, body?: Record<string, string>) =>
  fetch(`${stripe.emulator.url}${path}`, {
    method: body ? "POST" : "GET",
    headers: {
      authorization: `Bearer ${EMULATOR_API_KEY}`,
      "stripe-account": p.account,
      "content-type": "application/x-www-form-urlencoded",
    },
    ...(body && { body: new URLSearchParams(body) }),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

const entries = async (tenantId: string) =>
  Number((await t.database.admin("SELECT count(*) FROM journal_entries WHERE tenant_id = $1", [tenantId]))[0]!.count);

async function reconcile(p: Shop) {
  const before = await entries(p.s.tenant.id);
  const res = await t.request("POST", "/v1/admin/reconciliation/runs", { key: p.key, body: {} });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(await entries(p.s.tenant.id)).toBe(before); // a difference never posts anything
  return res.body as {
    id: string;
    clean: boolean;
    transactions: number;
    differences: number;
    differenceList: { kind: string; balanceTransactionId: string | null; ledgerAmount: number; stripeAmount: number }[];
  };
}

/** Runs the booking's newest refund effect (the outbox's `payments.refund`) on the emulator; waits for `event`. */
async function runRefundEffect(p: Shop, bookingId: string, event: string, status?: string) {
  const handler = createRefundHandler(stripeRefundProvider(paymentsProviderFor(stripe.config)));
  const [r] = await t.database.admin(
    `SELECT id, tenant_id, event_type, aggregate_id, payload FROM outbox
      WHERE event_type = 'payments.refund' AND (aggregate_id = $1 OR payload->>'bookingId' = $1)
      ORDER BY (payload->>'attempt')::int DESC, created_at DESC LIMIT 1`,
    [bookingId],
  );
  await eventAfter(
    p.account,
    event,
    () =>
      t.database.db.withTenantTx(r!.tenant_id, (tx) =>
        handler.run({
          tx,
          event: {
            id: r!.id,
            tenantId: r!.tenant_id,
            type: r!.event_type,
            aggregateId: r!.aggregate_id,
            payload: r!.payload,
            createdAt: t.clock.now,
          },
          providers: {},
          config: {
            manageTokenSecret: "test-manage-token-secret-0123456789abcdef",
            publicBaseUrl: "http://bookra.test",
          },
          now: t.clock.now,
        }),
      ),
    status,
  );
}

/** Bookra's own refund of `amount`, decided by the owner and made by its outbox effect on the emulator. */
async function ownerRefund(p: Shop, bookingId: string, amount: number, event = "refund.updated") {
  const res = await t.request("POST", `/v1/admin/bookings/${bookingId}/refunds`, {
    key: p.key,
    body: { amount, reason: "Goodwill" },
    headers: { "idempotency-key": crypto.randomUUID() },
  });
  expect(res.status).toBe(201);
  await runRefundEffect(p, bookingId, event);
  return res.body.id as string;
}

const kinds = (run: Awaited<ReturnType<typeof reconcile>>) => run.differenceList.map((d) => d.kind).sort();

describe("a clean day", () => {
  it("after payments, a dispute, refunds (the owner's and one in Stripe's dashboard) and a payout: 0 differences", async () => {
    const p = await shop();
    const a = await paid(p, "2027-03-02T09:00:00Z");
    const b = await paid(p, "2027-03-02T10:00:00Z");
    await eventAfter(p.account, "refund.created", () =>
      stripeApi(p, "/v1/refunds", { payment_intent: b.pi, amount: "400" }),
    );
    await eventAfter(p.account, "payout.paid", () => stripe.control("/_emulator/payouts/run", { account: p.account }));
    const c = await paid(p, "2027-03-02T11:00:00Z");
    await eventAfter(p.account, "charge.dispute.funds_withdrawn", () =>
      stripe.control("/_emulator/disputes", { payment_intent: c.pi }),
    );
    const d = await paid(p, "2027-03-02T12:00:00Z");
    await ownerRefund(p, d.id, 250);
    const run = await reconcile(p);
    expect(run).toMatchObject({ clean: true, differences: 0, differenceList: [] });
    // four charges, two refunds, a payout and a dispute's withdrawal
    expect(run.transactions).toBe(8);
    const list = await t.request("GET", "/v1/admin/reconciliation", { key: p.key });
    expect(list.body.data).toEqual([expect.objectContaining({ id: run.id, clean: true, differences: 0 })]);
    const one = await t.request("GET", `/v1/admin/reconciliation/runs/${run.id}`, { key: p.key });
    expect(one.body).toMatchObject({ id: run.id, differenceList: [] });

    // What is in the payout: the two appointments paid before it (b net of its refund), with their entries.
    const payouts = await t.request("GET", "/v1/admin/payouts", { key: p.key });
    expect(payouts.status).toBe(200);
    expect(payouts.body.data).toHaveLength(1);
    const payout = payouts.body.data[0];
    expect(payout).toMatchObject({ status: "paid", currency: "EUR" });
    const detail = await t.request("GET", `/v1/admin/payouts/${payout.id}`, { key: p.key });
    expect(detail.status).toBe(200);
    expect(detail.body.bookings.map((x: { id: string }) => x.id).sort()).toEqual([a.id, b.id].sort());
    expect(detail.body.transactions).toHaveLength(4);
    expect(detail.body.transactions.every((x: { entryId: string | null }) => x.entryId !== null)).toBe(true);
    expect(detail.body.transactions.reduce((sum: number, x: { net: number }) => sum + x.net, 0)).toBe(0);
    const netA = detail.body.bookings.find((x: { id: string }) => x.id === a.id).net;
    const netB = detail.body.bookings.find((x: { id: string }) => x.id === b.id).net;
    expect(netA + netB).toBe(payout.amount);
    expect(netA - netB).toBe(400);
  });
});

describe("a refund Stripe failed, retried by the owner", () => {
  it("matches each attempt's Stripe refund to that attempt's entries: 0 differences", async () => {
    const p = await shop();
    const a = await paid(p, "2027-03-02T09:00:00Z");
    await stripe.control("/_emulator/settings", { refunds: "fail" });
    let refundId: string;
    try {
      refundId = await ownerRefund(p, a.id, 300, "refund.failed");
    } finally {
      await stripe.control("/_emulator/settings", { refunds: "succeed" });
    }
    const retried = await t.request("POST", `/v1/admin/bookings/${a.id}/refunds/${refundId}/retry`, {
      key: p.key,
      headers: { "idempotency-key": crypto.randomUUID() },
    });
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    await runRefundEffect(p, a.id, "refund.updated", "succeeded");
    const [row] = await t.database.admin("SELECT status, attempt FROM refunds WHERE id = $1", [refundId]);
    expect(row).toMatchObject({ status: "succeeded", attempt: 2 });
    const run = await reconcile(p);
    // the charge; attempt 1's refund and its failure; attempt 2's refund
    expect(run).toMatchObject({ clean: true, transactions: 4, differenceList: [] });
  });
});

describe("each kind of difference is caught, and nothing is posted", () => {
  it("fee_differs: Stripe's fee changed after the fact", async () => {
    const p = await shop();
    const a = await paid(p, "2027-03-02T09:00:00Z");
    const charge = await stripeApi(p, `/v1/payment_intents/${a.pi}?expand[]=latest_charge`);
    const txn = charge.body.latest_charge.balance_transaction as string;
    await stripe.control(`/_emulator/balance_transactions/${txn}/fee`, { stripeFee: 99 });
    const run = await reconcile(p);
    expect(run.clean).toBe(false);
    expect(kinds(run)).toEqual(["balance_differs", "fee_differs"]);
    expect(run.differenceList.find((d) => d.kind === "fee_differs")).toMatchObject({
      balanceTransactionId: txn,
      ledgerAmount: 35 + 50,
      stripeAmount: 99 + 50,
    });
  });

  it("missing_in_ledger: a charge Bookra never heard of", async () => {
    const p = await shop();
    await paid(p, "2027-03-02T09:00:00Z");
    const made = await stripe.control<{ data: { id: string; net: number }[] }>("/_emulator/charges", {
      account: p.account,
      amount: 2500,
    });
    const run = await reconcile(p);
    expect(kinds(run)).toEqual(["balance_differs", "missing_in_ledger"]);
    expect(run.differenceList.find((d) => d.kind === "missing_in_ledger")).toMatchObject({
      balanceTransactionId: made.data[0]!.id,
      stripeAmount: made.data[0]!.net,
    });
  });

  it("missing_in_ledger: a refund whose events Stripe never delivered", async () => {
    const p = await shop();
    const a = await paid(p, "2027-03-02T09:00:00Z");
    // Dropped until the end: the refund settles (refund.updated) after it is made, and that event must not arrive.
    await stripe.control("/_emulator/settings", {
      dropEvents: ["refund.created", "refund.updated", "charge.refunded", "charge.refund.updated"],
    });
    try {
      const refund = await stripeApi(p, "/v1/refunds", { payment_intent: a.pi, amount: "300" });
      const run = await reconcile(p);
      expect(kinds(run)).toEqual(["balance_differs", "missing_in_ledger"]);
      expect(run.differenceList.find((d) => d.kind === "missing_in_ledger")).toMatchObject({
        balanceTransactionId: refund.body.balance_transaction,
        stripeAmount: -300,
      });
    } finally {
      await stripe.control("/_emulator/settings", { dropEvents: [] });
    }
  });

  it("amount_differs: a payout reported with a different amount", async () => {
    const p = await shop();
    await paid(p, "2027-03-02T09:00:00Z");
    await eventAfter(p.account, "payout.paid", () =>
      stripe.control("/_emulator/payouts/run", { account: p.account, misreport: 100 }),
    );
    const run = await reconcile(p);
    expect(kinds(run)).toEqual(["amount_differs", "balance_differs"]);
    const d = run.differenceList.find((x) => x.kind === "amount_differs")!;
    expect(d.ledgerAmount - d.stripeAmount).toBe(-100);
  });

  it("missing_at_stripe: an entry naming a balance transaction Stripe does not have", async () => {
    const p = await shop();
    const a = await paid(p, "2027-03-02T09:00:00Z");
    const forged = depositPaid({ currency: "EUR", bookingId: a.id, amount: 1000, stripeFee: 35, platformFee: 50 });
    await t.database.db.withTenantTx(p.s.tenant.id, (tx) =>
      postEntry(tx, {
        tenantId: p.s.tenant.id,
        occurredAt: TEST_NOW,
        kind: forged.kind,
        source: { type: "stripe_balance_transaction", id: "txn_neverexisted" },
        lines: forged.lines,
      }),
    );
    const run = await reconcile(p);
    expect(kinds(run)).toEqual(["balance_differs", "missing_at_stripe"]);
    expect(run.differenceList.find((d) => d.kind === "missing_at_stripe")).toMatchObject({
      balanceTransactionId: "txn_neverexisted",
      ledgerAmount: 915,
    });
  });
});

describe("bad input", () => {
  it("is a 4xx with a code and stores nothing", async () => {
    const p = await shop();
    const bad = [
      [{ day: "2027-02-30" }, 400],
      [{ day: "2027-03-02" }, 400], // tomorrow, by the test clock
      [{ day: "2027-03-01", extra: 1 }, 400],
    ] as const;
    for (const [body, status] of bad) {
      const res = await t.request("POST", "/v1/admin/reconciliation/runs", { key: p.key, body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
    }
    const unconnected = await createSalon(t);
    const none = await t.request("POST", "/v1/admin/reconciliation/runs", { key: unconnected.tenant.apiKey, body: {} });
    expect([none.status, none.body.error.code]).toEqual([409, "PAYMENTS_NOT_READY"]);
    expect((await t.request("GET", "/v1/admin/reconciliation/runs/rcn_nope", { key: p.key })).status).toBe(404);
    expect((await t.request("GET", "/v1/admin/payouts/po_nope", { key: p.key })).status).toBe(404);
    expect((await t.request("GET", "/v1/admin/reconciliation?cursor=zzz", { key: p.key })).status).toBe(400);
    const runs = await t.database.admin("SELECT count(*) FROM reconciliation_runs WHERE tenant_id = ANY($1)", [
      [p.s.tenant.id, unconnected.tenant.id],
    ]);
    expect(Number(runs[0]!.count)).toBe(0);
  });
});

describe("the scheduled money checks", () => {
  it("reconcile yesterday once per tenant, and stay silent on a healthy ledger", async () => {
    const p = await shop();
    await paid(p, "2027-03-02T09:00:00Z");
    const provider = paymentsProviderFor(stripe.config);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const tomorrow = new Date("2027-03-02T01:17:00Z");
    // (Every tenant of the test database is visited; the other tests' tenants have differences on purpose.)
    const first = await runMoneyChecks(t.database.db, provider, tomorrow);
    expect(first.failed).toBe(0);
    expect(first.reconciled).toBeGreaterThanOrEqual(1);
    const again = await runMoneyChecks(t.database.db, provider, new Date("2027-03-02T02:17:00Z"));
    expect(again.reconciled).toBe(0);
    const runs = await t.request("GET", "/v1/admin/reconciliation", { key: p.key });
    expect(runs.body.data).toEqual([
      expect.objectContaining({ day: "2027-03-01", trigger: "scheduled", transactions: 1, clean: true }),
    ]);
    expect(await t.database.admin("SELECT * FROM ledger_alerts WHERE tenant_id = $1", [p.s.tenant.id])).toEqual([]);
    expect(errors).not.toHaveBeenCalledWith(expect.stringContaining(p.s.tenant.id));
  });

  it("fire on a line forged by the superuser past the database's own check: an alert row and a log line", async () => {
    const p = await shop();
    const a = await paid(p, "2027-03-02T09:00:00Z");
    expect(await checkLedger(t.database.db, p.s.tenant.id, TEST_NOW)).toEqual([]);
    const [entry] = await t.database.admin(
      "SELECT entry_id FROM journal_lines WHERE tenant_id = $1 AND booking_id = $2 LIMIT 1",
      [p.s.tenant.id, a.id],
    );
    // Triggers off for this transaction only (the balance check is a trigger): what only a superuser can do.
    await t.database.admin(`BEGIN; SET LOCAL session_replication_role = replica;
      INSERT INTO journal_lines (tenant_id, entry_id, account, amount, currency, booking_id)
        VALUES ('${p.s.tenant.id}', '${entry!.entry_id}', 'customer_deposits', -100, 'EUR', '${a.id}');
      COMMIT;`);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const found = await checkLedger(t.database.db, p.s.tenant.id, TEST_NOW);
    expect(found.map((f) => f.identity)).toEqual(expect.arrayContaining([1, 3]));
    const alerts = await t.database.admin<{ identity: number; detail: string }>(
      "SELECT identity, detail FROM ledger_alerts WHERE tenant_id = $1 ORDER BY id",
      [p.s.tenant.id],
    );
    expect(alerts.map((r) => r.identity)).toEqual(found.map((f) => f.identity));
    expect(alerts[0]!.detail).toContain(entry!.entry_id);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining("ledger identity failed"));
  });

  it("keep one alert per failure however many runs find it, readable newest first; a healthy ledger has none", async () => {
    const healthy = await shop();
    await paid(healthy, "2027-03-02T09:00:00Z");
    const p = await shop();
    const a = await paid(p, "2027-03-02T10:00:00Z");
    const [entry] = await t.database.admin(
      "SELECT entry_id FROM journal_lines WHERE tenant_id = $1 AND booking_id = $2 LIMIT 1",
      [p.s.tenant.id, a.id],
    );
    await t.database.admin(`BEGIN; SET LOCAL session_replication_role = replica;
      INSERT INTO journal_lines (tenant_id, entry_id, account, amount, currency, booking_id)
        VALUES ('${p.s.tenant.id}', '${entry!.entry_id}', 'customer_deposits', -100, 'EUR', '${a.id}');
      COMMIT;`);
    vi.spyOn(console, "error").mockImplementation(() => {});
    const first = new Date("2027-03-02T01:17:00Z");
    const later = new Date("2027-03-02T02:17:00Z");
    const found = await checkLedger(t.database.db, p.s.tenant.id, first);
    expect(await checkLedger(t.database.db, healthy.s.tenant.id, first)).toEqual([]);
    const once = await t.request("GET", "/v1/admin/ledger/alerts", { key: p.key });
    expect(once.status).toBe(200);
    expect(once.body.data).toHaveLength(found.length);
    expect(once.body.data).toContainEqual(
      expect.objectContaining({
        identity: 3,
        subject: `booking:${a.id}`,
        currency: "EUR",
        firstSeenAt: first.toISOString(),
        lastSeenAt: first.toISOString(),
        count: 1,
      }),
    );
    // The next hour's run (and the same run repeated) updates those alerts: no second row.
    await runMoneyChecks(t.database.db, undefined, later);
    await runMoneyChecks(t.database.db, undefined, later);
    const rows = await t.database.admin("SELECT id FROM ledger_alerts WHERE tenant_id = $1", [p.s.tenant.id]);
    expect(rows).toHaveLength(found.length);
    const again = await t.request("GET", "/v1/admin/ledger/alerts", { key: p.key });
    expect(again.body.data).toHaveLength(found.length);
    for (const alert of again.body.data)
      expect(alert).toMatchObject({ firstSeenAt: first.toISOString(), lastSeenAt: later.toISOString(), count: 2 });
    expect(new Set(again.body.data.map((x: { id: string }) => x.id))).toEqual(
      new Set(once.body.data.map((x: { id: string }) => x.id)),
    );
    // Page by page, each once.
    const page1 = await t.request("GET", "/v1/admin/ledger/alerts?limit=1", { key: p.key });
    const page2 = await t.request("GET", `/v1/admin/ledger/alerts?limit=1&cursor=${page1.body.nextCursor}`, {
      key: p.key,
    });
    expect(page2.status).toBe(200);
    expect([...page1.body.data, ...page2.body.data]).toEqual(again.body.data.slice(0, 2));
    const bad = await t.request("GET", "/v1/admin/ledger/alerts?cursor=nope", { key: p.key });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("VALIDATION_FAILED");
    const none = await t.request("GET", "/v1/admin/ledger/alerts", { key: healthy.key });
    expect(none.body).toEqual({ data: [], nextCursor: null });
  });
});

describe("payouts", () => {
  it("are listed newest first page by page, a failed one with its failure; its contents balance to zero", async () => {
    const p = await shop();
    await paid(p, "2027-03-02T09:00:00Z");
    await eventAfter(p.account, "payout.paid", () => stripe.control("/_emulator/payouts/run", { account: p.account }));
    t.clock.now = new Date("2027-03-01T09:00:00Z");
    await paid(p, "2027-03-02T10:00:00Z");
    await eventAfter(p.account, "payout.failed", () =>
      stripe.control("/_emulator/payouts/run", { account: p.account, outcome: "failed" }),
    );
    const first = await t.request("GET", "/v1/admin/payouts?limit=1", { key: p.key });
    expect(first.status).toBe(200);
    expect(first.body.data).toEqual([expect.objectContaining({ status: "failed", failureCode: "account_closed" })]);
    const second = await t.request("GET", `/v1/admin/payouts?limit=1&cursor=${first.body.nextCursor}`, { key: p.key });
    expect(second.body).toMatchObject({ data: [expect.objectContaining({ status: "paid" })], nextCursor: null });
    const failed = await t.request("GET", `/v1/admin/payouts/${first.body.data[0].id}`, { key: p.key });
    // the charge it swept and its own transaction (its failure gives the money back outside it)
    expect(failed.body.transactions.map((x: { type: string }) => x.type).sort()).toEqual(["charge", "payout"]);
    expect(failed.body.transactions.reduce((sum: number, x: { net: number }) => sum + x.net, 0)).toBe(0);
    expect(failed.body.bookings).toHaveLength(1);
    // another business cannot read it
    const other = await shop();
    const theirs = await t.request("GET", `/v1/admin/payouts/${first.body.data[0].id}`, { key: other.key });
    expect(theirs.status).toBe(404);
    const run = await reconcile(p);
    expect(run).toMatchObject({ clean: true, transactions: 5 });
  });
});
