// The dashboard's Money page in Chromium against the real stack (issue 14 item 8): a business with real ledger
// postings (two bookings completed through the API with desk payments and tips, a deposit paid on the Stripe
// emulator's checkout and then completed), read as the owner — the summary, the staff and service tables and the
// chart equal the JSON reports for the same period; both CSV downloads open and their totals equal the JSON's;
// "Mark paid" refuses more than owed at its field and then reduces the balance owed; a payout and the appointments in
// it; "Run now" reconciles — and as a staff member, who sees their own statement and nothing else. No answer is
// scripted: every figure comes from the worker and the emulator.
import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Business,
  bookAt,
  connectStripe,
  type DashboardWorld,
  dashboardContext,
  localInstant,
  mailbox,
  must,
  signInThroughPage,
  signUpBusiness,
  startDashboardWorld,
} from "./dashboard-world.ts";
import { axe, watch } from "./harness.ts";

let w: DashboardWorld;
let base: string;
let b: Business;
let month: { from: string; to: string };

const eur = (minor: number) => new Intl.NumberFormat("en", { style: "currency", currency: "EUR" }).format(minor / 100);
const dec = (minor: number) => (minor / 100).toFixed(2);

/** A public haircut booking with a 50 % deposit paid on the emulator's checkout, until the webhook confirms it. */
async function paidDeposit(hh: number): Promise<string> {
  await must(base, "PATCH", `/v1/admin/services/${b.haircut}`, { deposit: { percent: 50 } }, b.apiKey);
  const booked = await must(base, "POST", `/v1/public/${b.slug}/bookings`, {
    serviceId: b.haircut,
    start: localInstant(b.today, hh, 0, b.offsetHours),
    customer: { name: "Dora Deposit", email: `dora-${b.slug}@example.com` },
  });
  const id: string = booked.booking.id;
  const hop = await fetch(booked.checkout.url, { redirect: "manual" });
  const session = /cs_\w+/.exec(hop.headers.get("location") ?? "")?.[0];
  expect(session).toBeTruthy();
  const paid = await fetch(`${w.stack.stripeUrl}/_emulator/checkout/sessions/${session}/pay`, { method: "POST" });
  expect(paid.ok).toBe(true);
  await expect
    .poll(async () => (await must(base, "GET", `/v1/admin/bookings/${id}`, undefined, b.apiKey)).status, {
      timeout: 30_000,
    })
    .toBe("confirmed");
  await must(base, "PATCH", `/v1/admin/services/${b.haircut}`, { deposit: null }, b.apiKey);
  return id;
}

const complete = (id: string, body: unknown) => must(base, "POST", `/v1/admin/bookings/${id}/complete`, body, b.apiKey);

/** Parses RFC 4180 text (quoted cells, CRLF) into rows of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n") {
      row.push(cell.replace(/\r$/, ""));
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

/** Clicks a CSV button and reads the file the browser saved, as records keyed by the header row. */
async function downloadCsv(page: Page, which: string): Promise<{ name: string; records: Record<string, string>[] }> {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator(`button[data-csv="${which}"]`).click(),
  ]);
  const text = await readFile((await download.path())!, "utf8");
  const [header, ...rest] = parseCsv(text);
  return {
    name: download.suggestedFilename(),
    records: rest.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ""]))),
  };
}

beforeAll(async () => {
  w = await startDashboardWorld();
  base = w.stack.baseUrl;
  b = await signUpBusiness(base, { name: "Money Page Studio" });
  // the month holding the business's today (what the page shows first)
  const last = new Date(Date.UTC(Number(b.today.slice(0, 4)), Number(b.today.slice(5, 7)), 0));
  month = { from: `${b.today.slice(0, 7)}-01`, to: last.toISOString().slice(0, 10) };
}, 180_000);

let seeding: Promise<void> | undefined;
/** The postings every test reads, made once (inside a test: it waits on webhooks with expect.poll). */
const seeded = () => {
  seeding ??= (async () => {
    await connectStripe(w, b.apiKey);
    // Ana earns 40 % commission, Ben 10 %
    await must(base, "PATCH", `/v1/admin/staff/${b.ana.id}`, { commissionBps: 4000 }, b.apiKey);
    await must(base, "PATCH", `/v1/admin/staff/${b.ben.id}`, { commissionBps: 1000 }, b.apiKey);
    const a = await bookAt(base, b, { staffId: b.ana.id, serviceId: b.haircut }, 9, 0);
    await complete(a.id, { payments: [{ method: "card", amount: 4000 }], tip: { amount: 500 } });
    const c = await bookAt(base, b, { staffId: b.ben.id, serviceId: b.beard }, 10, 0);
    await complete(c.id, { payments: [{ method: "cash", amount: 1700 }], tip: { amount: 200 } });
    const d = await paidDeposit(12);
    await complete(d, { payments: [{ method: "card", amount: 1750 }] });
  })();
  return seeding;
};

afterAll(async () => {
  await w?.stop();
});

const q = (p: { from: string; to: string }, extra: Record<string, string> = {}) =>
  new URLSearchParams({ ...p, ...extra }).toString();

describe("the owner's Money page", () => {
  it("shows this month's figures, tables and chart equal to the JSON reports, and both CSVs' totals equal them", async () => {
    await seeded();
    const summary = await must(base, "GET", `/v1/admin/reports/summary?${q(month)}`, undefined, b.apiKey);
    const [fig] = summary.currencies;
    expect(fig.currency).toBe("EUR");
    expect(fig.serviceRevenue).toBe(3500 + 1500 + 3500);
    expect(fig.tips).toBe(700);

    const { context, page } = await dashboardContext(w, b);
    const { errors } = watch(page);
    await signInThroughPage(page, base, "/money", b.owner.email, b.owner.password);
    const sum = page.getByRole("region", { name: /^Summary/ });
    expect(await sum.getAttribute("data-period")).toBe(`${month.from}/${month.to}`);
    await sum.locator('[data-figure="net"]').waitFor();
    for (const f of Object.keys(fig).filter((k) => k !== "currency" && k !== "exponent")) {
      const cell = sum.locator(`[data-currency="EUR"] [data-figure="${f}"] dd`);
      expect(await cell.textContent(), f).toBe(eur(fig[f]));
    }

    // by staff and by service: the same rows, in the same order, as the JSON
    for (const [group, region] of [
      ["staff", "By staff member"],
      ["service", "By service"],
    ] as const) {
      const json = await must(
        base,
        "GET",
        `/v1/admin/reports/revenue?${q(month, { groupBy: group })}`,
        undefined,
        b.apiKey,
      );
      const rows = page.getByRole("region", { name: region }).locator("tbody tr");
      expect(
        await rows.evaluateAll((trs) =>
          trs.map((tr) => [tr.getAttribute("data-key"), Number(tr.getAttribute("data-net"))]),
        ),
      ).toEqual(json.rows.map((r: { key: string; netRevenue: number }) => [r.key, r.netRevenue]));
      expect(await rows.first().locator("td").last().textContent()).toBe(eur(json.rows[0].netRevenue));
    }

    // the chart: one bar per day of the month; the table behind it totals the summary's net revenue
    const days = await must(
      base,
      "GET",
      `/v1/admin/reports/revenue?${q(month, { groupBy: "day" })}`,
      undefined,
      b.apiKey,
    );
    const revenue = page.getByRole("region", { name: "Revenue by day" });
    expect(await revenue.locator("svg rect").count()).toBe(days.rows.length);
    const todayRow = days.rows.find((r: { key: string }) => r.key === b.today);
    expect(todayRow.netRevenue).toBe(fig.grossTakings - fig.refunds - fig.discounts);
    expect(await revenue.locator(`svg rect[data-day="${b.today}"] title`).textContent()).toContain(
      eur(todayRow.netRevenue),
    );
    expect(await revenue.getByRole("img").getAttribute("aria-label")).toMatch(/^Net revenue by day/);

    // the summary CSV: one record per currency, every figure the JSON's as a decimal
    const s = await downloadCsv(page, "summary");
    expect(s.name).toBe(`bookra-summary-${month.from}-to-${month.to}.csv`);
    const rec = s.records.find((r) => r.currency === "EUR")!;
    expect([rec.from, rec.to]).toEqual([month.from, month.to]);
    for (const f of ["grossTakings", "tips", "net", "stripeFees", "commissions"]) expect(rec[f], f).toBe(dec(fig[f]));
    // the revenue-by-staff CSV: its net revenue adds up to the JSON's
    const byStaff = await must(
      base,
      "GET",
      `/v1/admin/reports/revenue?${q(month, { groupBy: "staff" })}`,
      undefined,
      b.apiKey,
    );
    const r = await downloadCsv(page, "revenue-staff");
    expect(r.records.map((x) => x.staff)).toEqual(byStaff.rows.map((x: { key: string }) => x.key));
    const csvNet = r.records.reduce((t, x) => t + Math.round(Number(x.netRevenue) * 100), 0);
    expect(csvNet).toBe(byStaff.rows.reduce((t: number, x: { netRevenue: number }) => t + x.netRevenue, 0));
    expect(csvNet).toBe(todayRow.netRevenue);
    expect(await axe(page, ["main"])).toEqual([]);

    // a custom period: a start after the end is refused at its field, asking nothing; today alone equals its JSON
    await page.getByLabel("From – to").check();
    await page.getByLabel("From", { exact: true }).fill(b.today);
    await page.getByLabel("To", { exact: true }).fill(month.from < b.today ? month.from : "2000-01-01");
    await page.getByRole("button", { name: "Show" }).click();
    await page.locator("#mp-to-err").waitFor();
    expect(await sum.getAttribute("data-period")).toBe(`${month.from}/${month.to}`);
    await page.getByLabel("To", { exact: true }).fill(b.today);
    await page.getByRole("button", { name: "Show" }).click();
    await expect.poll(() => sum.getAttribute("data-period")).toBe(`${b.today}/${b.today}`);
    const one = (
      await must(base, "GET", `/v1/admin/reports/summary?${q({ from: b.today, to: b.today })}`, undefined, b.apiKey)
    ).currencies[0];
    await expect.poll(() => sum.locator('[data-figure="net"]').getAttribute("data-amount")).toBe(String(one.net));
    expect(await sum.locator('[data-figure="tips"] dd').textContent()).toBe(eur(one.tips));
    expect(await revenue.locator("svg rect").count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  it("marks Ana paid: more than owed is refused at the amount field, then the balance owed goes down", async () => {
    await seeded();
    const statement = () => must(base, "GET", `/v1/admin/staff/${b.ana.id}/statement?${q(month)}`, undefined, b.apiKey);
    const before = await statement();
    expect(before.balanceOwed).toBe(1400 + 1400 + 500); // 40 % of two 35.00 haircuts, and the 5.00 tip
    const { context, page } = await dashboardContext(w, b);
    const { errors } = watch(page);
    await signInThroughPage(page, base, "/money", b.owner.email, b.owner.password);
    const panel = page.getByRole("region", { name: "Staff statements" });
    await panel.getByLabel("Staff member").selectOption({ label: "Ana" });
    const owed = panel.locator(`.statement[data-staff="${b.ana.id}"] [data-figure="balanceOwed"]`);
    await owed.waitFor();
    expect(Number(await owed.getAttribute("data-amount"))).toBe(before.balanceOwed);
    expect(await owed.locator("dd").textContent()).toBe(eur(before.balanceOwed));

    const amount = panel.getByLabel("Amount (EUR)");
    expect(await amount.inputValue()).toBe(dec(before.balanceOwed));
    await amount.fill(dec(before.balanceOwed + 1));
    await panel.getByRole("button", { name: "Mark paid" }).click();
    await panel.locator("#mp-pay-amount-err").waitFor();
    expect(await amount.getAttribute("aria-invalid")).toBe("true");
    expect((await statement()).balanceOwed).toBe(before.balanceOwed); // nothing stored

    await amount.fill("10.00");
    await panel.getByLabel("Method").selectOption("cash");
    await panel.getByRole("button", { name: "Mark paid" }).click();
    await panel.getByText(`Paid ${eur(1000)}.`).waitFor();
    await expect.poll(() => owed.getAttribute("data-amount")).toBe(String(before.balanceOwed - 1000));
    const after = await statement();
    expect([after.balanceOwed, after.paid]).toEqual([before.balanceOwed - 1000, 1000]);
    expect(await owed.locator("dd").textContent()).toBe(eur(after.balanceOwed));
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it("lists a payout with the appointments in it, and Run now reconciles today", async () => {
    await seeded();
    const { accountId } = await must(base, "GET", "/v1/admin/payments", undefined, b.apiKey);
    const run = await fetch(`${w.stack.stripeUrl}/_emulator/payouts/run`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ account: accountId }),
    });
    expect(run.ok).toBe(true);
    await expect
      .poll(async () => (await must(base, "GET", "/v1/admin/payouts", undefined, b.apiKey)).data.length, {
        timeout: 30_000,
      })
      .toBe(1);
    const [payout] = (await must(base, "GET", "/v1/admin/payouts", undefined, b.apiKey)).data;
    const detail = await must(base, "GET", `/v1/admin/payouts/${payout.id}`, undefined, b.apiKey);
    expect(detail.bookings.length).toBeGreaterThan(0);

    const { context, page } = await dashboardContext(w, b);
    const { errors } = watch(page);
    await signInThroughPage(page, base, "/money", b.owner.email, b.owner.password);
    const payouts = page.getByRole("region", { name: "Payouts" });
    const row = payouts.locator(`tr[data-payout="${payout.id}"]`);
    expect(await row.locator("td").nth(2).textContent()).toBe(eur(payout.amount));
    await row.getByRole("button", { name: "Open" }).click();
    const inside = page.getByRole("region", { name: `Appointments in payout ${payout.id}` });
    await inside.locator("tbody tr").first().waitFor();
    expect(await inside.locator("tbody tr td:nth-child(2)").allTextContents()).toEqual(
      detail.bookings.map((x: { customerName: string | null }) => x.customerName ?? ""),
    );

    const recon = page.getByRole("region", { name: "Reconciliation with Stripe" });
    await recon.getByText("No runs yet.").waitFor();
    await recon.getByRole("button", { name: "Run now" }).click();
    await recon.locator("tbody tr[data-run]").first().waitFor();
    const runs = (await must(base, "GET", "/v1/admin/reconciliation", undefined, b.apiKey)).data;
    expect(runs).toHaveLength(1);
    expect(await recon.locator("tbody tr[data-run]").getAttribute("data-run")).toBe(runs[0].id);
    expect(await recon.locator(".run-detail").getAttribute("data-run")).toBe(runs[0].id);
    expect(await recon.locator(`tr[data-run="${runs[0].id}"] td`).nth(2).textContent()).toBe(
      String(runs[0].transactions),
    );
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);
});

describe("a staff member's Money page", () => {
  it("shows Ben his own statement and nothing else", async () => {
    await seeded();
    await must(
      base,
      "POST",
      "/v1/admin/invitations",
      { email: b.ben.email, role: "staff", staffId: b.ben.id },
      b.apiKey,
    );
    let link = "";
    await expect
      .poll(
        async () => {
          const m = (await mailbox(base)).find((x) => x.recipient === b.ben.email);
          link = /#token=(\S+)/.exec(m?.body ?? "")?.[1] ?? "";
          return link;
        },
        { timeout: 30_000 },
      )
      .not.toBe("");
    const password = `ben-${crypto.randomUUID()}`;
    await must(base, "POST", `/v1/auth/invitations/${decodeURIComponent(link)}`, { name: "Ben", password });
    const own = await must(base, "GET", `/v1/admin/staff/${b.ben.id}/statement?${q(month)}`, undefined, b.apiKey);
    expect(own.balanceOwed).toBe(150 + 200); // 10 % of the beard trim, and the 2.00 tip

    const { context, page } = await dashboardContext(w, b);
    const { errors } = watch(page);
    await signInThroughPage(page, base, "/money", b.ben.email, password);
    const mine = page.getByRole("region", { name: "Your statement" });
    const owed = mine.locator(`.statement[data-staff="${b.ben.id}"] [data-figure="balanceOwed"] dd`);
    await owed.waitFor();
    expect(await owed.textContent()).toBe(eur(own.balanceOwed));
    expect(await mine.locator('[data-figure="tips"] dd').textContent()).toBe(eur(200));
    // nothing else: no reports, payouts, reconciliation, other staff, or payment form
    for (const name of [/^Summary/, "Revenue by day", "By staff member", "Payouts", "Reconciliation with Stripe"])
      expect(await page.getByRole("region", { name }).count(), String(name)).toBe(0);
    expect(await page.getByLabel("Staff member").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Mark paid" }).count()).toBe(0);
    expect(await page.locator("button[data-csv]").count()).toBe(0);
    expect(await axe(page, ["main"])).toEqual([]);
    expect(await page.getByRole("navigation").getByRole("link").allTextContents()).toEqual([
      "Today",
      "Calendar",
      "Bookings",
      "Money",
    ]);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);
});
