// Reports from the ledger only (issue 14 item 4), on the real Postgres: a ledger built through real postings (paid
// deposits, desk completions with tips and discounts through the API, commission, refunds before and after
// completion, fees kept, a dispute, a payout), then every report figure is held against the sum of the journal lines
// it claims, read here with plain SQL (not through the rollup). DST days, CSV, formula-safe text and bad input.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  depositPaid,
  disputeLost,
  disputeOpened,
  feeRetained,
  type Posting,
  payoutPaid,
  refundAccepted,
  refundDecidedAfterCompletion,
  refundDecidedBeforeCompletion,
} from "../worker/src/domain/ledger.ts";
import { ReportRevenue, ReportSummary } from "../worker/src/schemas/reports.ts";
import { postEntry } from "../worker/src/services/ledger/post.ts";
import { TEST_NOW, useTestApp } from "./helpers/app.ts";
import { snapshotRows } from "./helpers/rows.ts";
import { createSalon, customer, type Salon } from "./helpers/salon.ts";

const t = useTestApp();
const ZONE = "Europe/London";
let s: Salon;
let key: string;
let staffA: string;
let staffB: string;

beforeEach(() => {
  t.clock.now = TEST_NOW;
});

let sources = 0;
/** Posts a fact's entry through postEntry at `at` (what the webhook and desk services do in their transactions). */
async function post(at: string, p: Posting): Promise<void> {
  await t.database.db.withTenantTx(s.tenant.id, (tx) =>
    postEntry(tx, {
      tenantId: s.tenant.id,
      occurredAt: new Date(at),
      kind: p.kind,
      source: { type: "stripe_event", id: `evt_test_${++sources}_${crypto.randomUUID().slice(0, 8)}` },
      lines: p.lines,
    }),
  );
}

let slots = 0;
/** A booking made and completed through the admin API with the clock at `at` (the completion posts at `at`). */
async function completeAt(at: string, staffId: string, body: Record<string, unknown>): Promise<string> {
  // Booked in working hours the day before (the appointment's own time is not what a report counts: the fact is).
  const start = `${new Date(new Date(at).getTime() - 86_400_000).toISOString().slice(0, 10)}T${10 + (++slots % 6)}:00:00Z`;
  t.clock.now = new Date(new Date(at).getTime() - 3 * 86_400_000);
  const r = await t.request("POST", "/v1/admin/bookings", {
    key,
    body: { serviceId: s.serviceId, staffId, start, customer: customer(crypto.randomUUID().slice(0, 6)) },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const id = r.body.booking.id as string;
  t.clock.now = new Date(at);
  const done = await t.request("POST", `/v1/admin/bookings/${id}/complete`, { key, body });
  expect(done.status, JSON.stringify(done.body)).toBe(200);
  t.clock.now = TEST_NOW;
  return id;
}

/** Per account, the sum of the tenant's lines whose entry occurred on the local days from–to (plain SQL). */
async function ledgerSums(
  from: string | null,
  to: string | null,
  extra = "",
): Promise<Record<string, { sum: number; credits: number }>> {
  const rows = await t.database.admin<{ account: string; sum: string; credits: string }>(
    `SELECT CASE WHEN l.account LIKE 'tips\\_payable:%' THEN 'tips_payable' ELSE l.account END AS account,
            sum(l.amount)::text AS sum, sum(least(l.amount, 0))::text AS credits
     FROM journal_lines l JOIN journal_entries e ON e.tenant_id = l.tenant_id AND e.id = l.entry_id
     WHERE l.tenant_id = $1 AND ($2::date IS NULL OR (e.occurred_at AT TIME ZONE '${ZONE}')::date BETWEEN $2 AND $3)
       ${extra}
     GROUP BY 1`,
    [s.tenant.id, from, to],
  );
  return Object.fromEntries(rows.map((r) => [r.account, { sum: Number(r.sum), credits: Number(r.credits) }]));
}

/** The report's figures, each computed by hand from the account sums (the mapping docs/API.md "Reports" states). */
function expectedFigures(
  p: Record<string, { sum: number; credits: number }>,
  all: Record<string, { sum: number; credits: number }>,
) {
  const sum = (a: string) => p[a]?.sum ?? 0;
  const serviceRevenue = 0 - sum("service_revenue");
  const cancellationFees = 0 - sum("cancellation_fees");
  const refunds = sum("refunds_given");
  const discounts = sum("discounts");
  const stripeFees = sum("stripe_fees");
  const platformFees = sum("platform_fees");
  const disputeCosts = sum("dispute_fees") + sum("dispute_losses");
  const commissions = sum("commission_expense");
  return {
    currency: "EUR",
    exponent: 2,
    grossTakings: serviceRevenue + cancellationFees,
    serviceRevenue,
    cancellationFees,
    refunds,
    discounts,
    tips: 0 - (p.tips_payable?.credits ?? 0),
    stripeFees,
    platformFees,
    disputeCosts,
    commissions,
    net:
      serviceRevenue + cancellationFees - refunds - discounts - stripeFees - platformFees - disputeCosts - commissions,
    depositsHeld: 0 - (all.customer_deposits?.sum ?? 0),
    stripeOwes: all.stripe_balance?.sum ?? 0,
  };
}

/** A small RFC 4180 reader: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += ch;
  }
  expect(field, "the file ends with CRLF").toBe("");
  return rows;
}

const cents = (decimal: string) => {
  expect(decimal).toMatch(/^-?\d+\.\d{2}$/);
  return Math.round(Number(decimal) * 100);
};

// The ledger: March and October 2027 around the clock changes (last Sundays: 28 March, 31 October), in London.
const SERVICE_NAME = '=HYPERLINK("x")';
let completedA: string;
beforeAll(async () => {
  s = await createSalon(t, { staff: 2, timezone: ZONE, service: { name: SERVICE_NAME } });
  key = s.tenant.apiKey;
  [staffA, staffB] = s.staffIds as [string, string];
  const on = { serviceId: s.serviceId };
  // Deposits paid (Stripe fee and platform fee) on Saturday 27 March, 23:30 GMT: local day 27 March.
  await post(
    "2027-03-27T23:30:00Z",
    depositPaid({ currency: "EUR", ...on, staffId: staffA, amount: 1500, stripeFee: 50, platformFee: 100 }),
  );
  // Completed through the API with desk money, a tip and a discount, at 00:30 GMT on Sunday 28 March (local 28th).
  completedA = await completeAt("2027-03-28T00:30:00Z", staffA, {
    payments: [{ method: "cash", amount: 5300 }],
    tip: { amount: 300 },
  });
  // 22:30 UTC on the 28th is 23:30 BST: still the 28th, a day of 23 hours.
  await completeAt("2027-03-28T22:30:00Z", staffB, {
    payments: [{ method: "card", amount: 4800 }],
    discount: 200,
  });
  // 23:30 UTC on the 28th is 00:30 BST on Monday 29 March.
  await completeAt("2027-03-28T23:30:00Z", staffA, { payments: [{ method: "card", amount: 5000 }] });
  // A refund of recognised revenue with its commission reversed, accepted by Stripe with part of the platform fee.
  await post(
    "2027-03-29T12:00:00Z",
    refundDecidedAfterCompletion({
      currency: "EUR",
      ...on,
      staffId: staffA,
      amount: 1000,
      revenue: 5000,
      commission: 1500,
    }),
  );
  await post(
    "2027-03-29T12:05:00Z",
    refundAccepted({ currency: "EUR", ...on, amount: 1000, applicationFeeRefunded: 20 }),
  );
  // A deposit refunded before completion, a fee kept from a no-show, a dispute lost, a payout.
  await post(
    "2027-03-30T09:00:00Z",
    depositPaid({ currency: "EUR", ...on, amount: 2000, stripeFee: 60, platformFee: 0 }),
  );
  await post("2027-03-30T10:00:00Z", refundDecidedBeforeCompletion({ currency: "EUR", ...on, amount: 500 }));
  await post(
    "2027-03-30T11:00:00Z",
    feeRetained({ currency: "EUR", ...on, reason: "no_show", deposits: 1500, fee: 700 }),
  );
  await post("2027-03-31T08:00:00Z", disputeOpened({ currency: "EUR", ...on, amount: 1500, fee: 1500 }));
  await post("2027-03-31T09:00:00Z", disputeLost({ currency: "EUR", ...on, amount: 1500 }));
  await post("2027-03-31T10:00:00Z", payoutPaid({ currency: "EUR", amount: 1000 }));
  // October: 23:30 UTC on Saturday the 30th is 00:30 BST on Sunday the 31st; 23:30 UTC on the 31st is 23:30 GMT.
  await completeAt("2027-10-30T23:30:00Z", staffB, { payments: [{ method: "cash", amount: 5000 }] });
  await completeAt("2027-10-31T23:30:00Z", staffB, {
    payments: [{ method: "cash", amount: 5100 }],
    tip: { amount: 100 },
  });
  // 00:30 UTC on 1 November is 00:30 GMT on 1 November.
  await completeAt("2027-11-01T00:30:00Z", staffA, { payments: [{ method: "cash", amount: 5000 }] });
}, 60_000);

const get = (path: string) => t.request("GET", path, { key });

describe("the summary", () => {
  it.each([
    ["2027-03-01", "2027-03-31"],
    ["2027-03-28", "2027-03-28"],
    ["2027-03-29", "2027-10-31"],
    ["2027-01-01", "2027-12-31"],
    ["2026-01-01", "2026-12-31"],
  ])("equals the sums of the ledger lines it names for %s – %s, to the minor unit", async (from, to) => {
    const res = await get(`/v1/admin/reports/summary?from=${from}&to=${to}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const report = ReportSummary.parse(res.body);
    expect(report).toEqual({
      from,
      to,
      timezone: ZONE,
      currencies: [expectedFigures(await ledgerSums(from, to), await ledgerSums(null, null))],
    });
  });

  it("is not all zeros: the ledger above moves every figure", async () => {
    const res = await get("/v1/admin/reports/summary?from=2027-01-01&to=2027-12-31");
    const figures = ReportSummary.parse(res.body).currencies[0]!;
    for (const [name, value] of Object.entries(figures))
      if (name !== "currency" && name !== "exponent") expect(value, name).not.toBe(0);
    // the tips: 300 + 100 through the API
    expect(figures.tips).toBe(400);
  });
});

describe("revenue", () => {
  const revenue = async (query: string) => {
    const res = await get(`/v1/admin/reports/revenue?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return ReportRevenue.parse(res.body);
  };

  it("counts each booking on its local day across the March and October clock changes", async () => {
    const march = await revenue("from=2027-03-27&to=2027-03-29&groupBy=day");
    expect(march.rows.map((r) => [r.key, r.serviceRevenue, r.discounts, r.tips])).toEqual([
      ["2027-03-27", 0, 0, 0],
      ["2027-03-28", 10_000, 200, 300], // 00:30 GMT and 23:30 BST: one day of 23 hours
      ["2027-03-29", 5_000, 0, 0], // 23:30 UTC on the 28th
    ]);
    const october = await revenue("from=2027-10-30&to=2027-11-01&groupBy=day");
    expect(october.rows.map((r) => [r.key, r.serviceRevenue, r.tips])).toEqual([
      ["2027-10-30", 0, 0],
      ["2027-10-31", 10_000, 100], // 00:30 BST and 23:30 GMT: one day of 25 hours
      ["2027-11-01", 5_000, 0],
    ]);
  });

  it("by day, week, month, staff and service: every row equals its ledger lines, and the rows add up to the summary", async () => {
    const from = "2027-01-01";
    const to = "2027-12-31";
    const summary = ReportSummary.parse((await get(`/v1/admin/reports/summary?from=${from}&to=${to}`)).body)
      .currencies[0]!;
    for (const groupBy of ["day", "week", "month", "staff", "service"] as const) {
      const report = await revenue(`from=${from}&to=${to}&groupBy=${groupBy}`);
      const total = (f: "serviceRevenue" | "cancellationFees" | "refunds" | "discounts" | "tips" | "netRevenue") =>
        report.rows.reduce((n, r) => n + r[f], 0);
      expect(total("serviceRevenue"), groupBy).toBe(summary.serviceRevenue);
      expect(total("cancellationFees"), groupBy).toBe(summary.cancellationFees);
      expect(total("refunds"), groupBy).toBe(summary.refunds);
      expect(total("discounts"), groupBy).toBe(summary.discounts);
      expect(total("tips"), groupBy).toBe(summary.tips);
      expect(total("netRevenue"), groupBy).toBe(
        summary.serviceRevenue + summary.cancellationFees - summary.refunds - summary.discounts,
      );
    }
    const byStaff = await revenue(`from=${from}&to=${to}&groupBy=staff`);
    for (const row of byStaff.rows) {
      const p = await ledgerSums(from, to, row.key ? `AND l.staff_id = '${row.key}'` : "AND l.staff_id IS NULL");
      expect(row.serviceRevenue, row.key).toBe(0 - (p.service_revenue?.sum ?? 0));
      expect(row.refunds, row.key).toBe(p.refunds_given?.sum ?? 0);
      expect(row.tips, row.key).toBe(0 - (p.tips_payable?.credits ?? 0));
    }
    expect(byStaff.rows.find((r) => r.key === staffA)?.label).toBe("Stylist 1");
    const byMonth = await revenue(`from=${from}&to=${to}&groupBy=month`);
    expect(byMonth.rows.map((r) => r.key)).toEqual(
      Array.from({ length: 12 }, (_, i) => `2027-${String(i + 1).padStart(2, "0")}`),
    );
    const march = await ledgerSums("2027-03-01", "2027-03-31");
    expect(byMonth.rows[2]!.serviceRevenue).toBe(0 - (march.service_revenue?.sum ?? 0));
    expect(byMonth.rows[2]!.cancellationFees).toBe(700);
  });
});

describe("CSV", () => {
  it("the summary parses with the JSON's figures as decimals", async () => {
    const q = "from=2027-01-01&to=2027-12-31";
    const json = ReportSummary.parse((await get(`/v1/admin/reports/summary?${q}`)).body).currencies[0]!;
    const res = await get(`/v1/admin/reports/summary.csv?${q}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const [header, row, ...rest] = parseCsv(res.body as string);
    expect(rest).toEqual([]);
    expect(header!.slice(0, 4)).toEqual(["from", "to", "timezone", "currency"]);
    const record = Object.fromEntries(header!.map((h, i) => [h, row![i]!]));
    expect(record.currency).toBe("EUR");
    for (const [name, value] of Object.entries(json))
      if (name !== "currency" && name !== "exponent") expect(cents(record[name]!), name).toBe(value);
  });

  it("revenue by service: the same totals as the JSON, and a service named =HYPERLINK(…) is text, not a formula", async () => {
    const q = "from=2027-01-01&to=2027-12-31&groupBy=service";
    const json = ReportRevenue.parse((await get(`/v1/admin/reports/revenue?${q}`)).body);
    const res = await get(`/v1/admin/reports/revenue.csv?${q}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="revenue-service-.*\.csv"/);
    const [header, ...rows] = parseCsv(res.body as string);
    expect(header).toEqual([
      "service",
      "label",
      "currency",
      "serviceRevenue",
      "cancellationFees",
      "refunds",
      "discounts",
      "tips",
      "netRevenue",
    ]);
    expect(rows).toHaveLength(json.rows.length);
    const labels = rows.map((r) => r[1]);
    expect(labels).toContain(`'${SERVICE_NAME}`);
    for (const cell of rows.flatMap((r) => [r[0]!, r[1]!])) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    for (const [i, name] of header!.entries())
      if (i >= 3)
        expect(
          rows.reduce((n, r) => n + cents(r[i]!), 0),
          name,
        ).toBe(json.rows.reduce((n, r) => n + (r as unknown as Record<string, number>)[name]!, 0));
  });
});

describe("bad input", () => {
  it.each([
    ["from after to", "summary?from=2027-03-02&to=2027-03-01"],
    ["a period over 366 days", "summary?from=2027-01-01&to=2028-01-02"],
    ["an unknown groupBy", "revenue?from=2027-01-01&to=2027-01-31&groupBy=hour"],
    ["a date that does not exist", "revenue?from=2027-02-30&to=2027-03-31"],
    ["an instant, not a date", "summary?from=2027-03-01T00:00:00Z&to=2027-03-31"],
    ["no period", "revenue.csv?groupBy=day"],
    ["a period over 366 days, as CSV", "summary.csv?from=2026-01-01&to=2027-12-31"],
  ])("%s is a 400 with a code, and changes nothing", async (_why, path) => {
    const before = await snapshotRows(t, s.tenant.id, ["journal_entries", "journal_lines", "ledger_daily"]);
    const res = await get(`/v1/admin/reports/${path}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect(res.body.error.message).toEqual(expect.any(String));
    expect(await snapshotRows(t, s.tenant.id, ["journal_entries", "journal_lines", "ledger_daily"])).toEqual(before);
  });
});

describe("the daily rollup", () => {
  it("holds exactly the journal's sums per local day, account, staff member and service", async () => {
    const rollup = await t.database.admin(
      `SELECT day::text, account, currency, staff_id, service_id, debits::text, credits::text, lines::text
       FROM ledger_daily WHERE tenant_id = $1 ORDER BY 1, 2, 3, 4, 5`,
      [s.tenant.id],
    );
    const journal = await t.database.admin(
      `SELECT (e.occurred_at AT TIME ZONE '${ZONE}')::date::text AS day, l.account, l.currency,
              coalesce(l.staff_id, '') AS staff_id, coalesce(l.service_id, '') AS service_id,
              sum(greatest(l.amount, 0))::text AS debits, sum(least(l.amount, 0))::text AS credits, count(*)::text AS lines
       FROM journal_lines l JOIN journal_entries e ON e.tenant_id = l.tenant_id AND e.id = l.entry_id
       WHERE l.tenant_id = $1 GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
      [s.tenant.id],
    );
    expect(journal.length).toBeGreaterThan(20);
    expect(rollup).toEqual(journal);
    expect(completedA).toMatch(/^bkg_/);
  });

  it("is read-only to the app: it cannot be written around the trigger", async () => {
    await expect(
      t.database.db.withTenantTx(s.tenant.id, (tx) =>
        tx.execute(`UPDATE ledger_daily SET debits = debits + 1 WHERE tenant_id = '${s.tenant.id}'` as never),
      ),
    ).rejects.toThrow();
  });
});
