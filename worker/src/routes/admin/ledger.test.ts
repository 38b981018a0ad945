// /v1/admin/ledger and /v1/admin/ledger/balances: entries page by page with filters, the trial balance at an instant,
// 400s for malformed queries and cursors, and who may read (the owner; not a manager, staff or another business).
import { beforeAll, describe, expect, it } from "vitest";
import { TEST_NOW, useTestApp } from "../../../../test/helpers/app.ts";
import { addMember, signInOwner } from "../../../../test/helpers/auth.ts";
import { createSalon, customer, type Salon } from "../../../../test/helpers/salon.ts";
import {
  depositPaid,
  type Posting,
  payoutPaid,
  refundDecidedBeforeCompletion,
  staffPaid,
} from "../../domain/ledger.ts";
import { LedgerBalances, LedgerEntryList } from "../../schemas/ledger.ts";
import { postEntry } from "../../services/ledger/post.ts";

const t = useTestApp();
let s: Salon;
let key: string;
let bookingId: string;
let otherBookingId: string;
const at = (minutes: number) => new Date(Date.parse("2027-02-28T09:00:00Z") + minutes * 60_000);
/** The entries posted, in the order they occurred. */
const posted: string[] = [];

async function post(minutes: number, sourceId: string, p: Posting) {
  const r = await t.database.db.withTenantTx(s.tenant.id, (tx) =>
    postEntry(tx, {
      tenantId: s.tenant.id,
      occurredAt: at(minutes),
      kind: p.kind,
      source: { type: "stripe_event", id: sourceId },
      lines: p.lines,
    }),
  );
  return r!.entry.id;
}

beforeAll(async () => {
  t.clock.now = TEST_NOW;
  s = await createSalon(t);
  key = s.tenant.apiKey;
  const book = async (start: string, n: number) => {
    const r = await t.request("POST", "/v1/admin/bookings", {
      key,
      body: { serviceId: s.serviceId, start, customer: customer(n) },
    });
    expect(r.status).toBe(201);
    return r.body.booking.id as string;
  };
  bookingId = await book("2027-03-02T10:00:00Z", 1);
  otherBookingId = await book("2027-03-02T12:00:00Z", 2);
  const b = { currency: "EUR", bookingId, staffId: s.staffIds[0]!, serviceId: s.serviceId };
  // posted out of order on purpose: the list follows occurredAt, not the order of posting
  const entries: [number, string, Posting][] = [
    [30, "evt_c", payoutPaid({ currency: "EUR", amount: 1000 })],
    [10, "evt_a", depositPaid({ ...b, amount: 1500, stripeFee: 43, platformFee: 150 })],
    [20, "evt_b", depositPaid({ ...b, bookingId: otherBookingId, amount: 2000, stripeFee: 50, platformFee: 0 })],
    [40, "evt_d", refundDecidedBeforeCompletion({ ...b, amount: 500 })],
    [50, "evt_e", staffPaid({ currency: "EUR", staffId: s.staffIds[0]!, tips: 100, from: "desk:cash" })],
  ];
  const ids = new Map<number, string>();
  for (const [m, id, p] of entries) ids.set(m, await post(m, id, p));
  posted.push(...[...ids].sort(([a], [b2]) => a - b2).map(([, id]) => id));
});

const list = async (query: string, as: { key?: string } = { key }) => {
  const r = await t.request("GET", `/v1/admin/ledger${query}`, as);
  return r;
};

describe("GET /v1/admin/ledger", () => {
  it("pages through every entry in the order they occurred, each with all its lines", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(r.status).toBe(200);
      const page = LedgerEntryList.parse(r.body);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((e) => e.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(posted);
    expect(pages).toBe(3);
    const all = LedgerEntryList.parse((await list("")).body).data;
    const deposit = all[0]!;
    expect(deposit).toMatchObject({
      kind: "deposit.paid",
      occurredAt: "2027-02-28T09:10:00.000Z",
      source: { type: "stripe_event", id: "evt_a" },
      reversesEntryId: null,
    });
    expect(deposit.lines.map((l) => [l.account, l.amount])).toEqual([
      ["stripe_balance", 1307],
      ["stripe_fees", 43],
      ["platform_fees", 150],
      ["customer_deposits", -1500],
    ]);
    expect(deposit.lines.every((l) => l.bookingId === bookingId && l.currency === "EUR")).toBe(true);
  });

  it("filters by booking, by account and by period [from, to)", async () => {
    const ids = async (q: string) => LedgerEntryList.parse((await list(q)).body).data.map((e) => e.id);
    expect(await ids(`?bookingId=${bookingId}`)).toEqual([posted[0], posted[3]]);
    expect(await ids(`?bookingId=${otherBookingId}`)).toEqual([posted[1]]);
    expect(await ids("?account=stripe_balance")).toEqual([posted[0], posted[1], posted[2]]);
    expect(await ids(`?account=tips_payable:${s.staffIds[0]}`)).toEqual([posted[4]]);
    expect(await ids("?account=bank")).toEqual([posted[2]]);
    expect(await ids("?from=2027-02-28T09:20:00Z&to=2027-02-28T09:40:00Z")).toEqual([posted[1], posted[2]]);
    expect(await ids(`?from=2027-02-28T09:20:00Z&account=customer_deposits&bookingId=${bookingId}`)).toEqual([
      posted[3],
    ]);
    expect(await ids("?account=dispute_losses")).toEqual([]);
  });

  it("answers 400 VALIDATION_FAILED to malformed filters and cursors", async () => {
    const crafted = (v: string) => Buffer.from(v, "utf8").toString("base64url");
    for (const q of [
      "?from=2027-03-01T10:00:00Z&to=2027-03-01T10:00:00Z",
      "?from=2027-03-01T11:00:00Z&to=2027-03-01T10:00:00Z",
      "?from=yesterday",
      "?to=2027-02-30T00:00:00Z",
      "?bookingId=nope",
      `?bookingId=${s.serviceId}`,
      "?account=Stripe%20Balance",
      "?account=tips_payable:a:b",
      "?limit=0",
      "?limit=101",
      "?cursor=not-a-cursor",
      `?cursor=${crafted('{"at":"2027-02-30T00:00:00.000000Z","id":"x"}')}`,
      `?cursor=${crafted('{"at":"2027-03-01T00:00:00.000000Z","id":"x\'; --"}')}`,
      `?cursor=${crafted("[1e400]")}`,
    ]) {
      const r = await list(q);
      expect({ q, status: r.status, code: r.body.error?.code }).toEqual({ q, status: 400, code: "VALIDATION_FAILED" });
    }
  });
});

describe("GET /v1/admin/ledger/balances", () => {
  it("gives the trial balance now and at an earlier instant, summing to zero", async () => {
    const now = await t.request("GET", "/v1/admin/ledger/balances", { key });
    expect(now.status).toBe(200);
    const b = LedgerBalances.parse(now.body);
    expect(b.at).toBe(TEST_NOW.toISOString());
    expect(Object.fromEntries(b.accounts.map((a) => [a.account, a.balance]))).toEqual({
      bank: 1000,
      customer_deposits: -3000,
      "desk:cash": -100,
      platform_fees: 150,
      refunds_payable: -500,
      stripe_balance: 1307 + 1950 - 1000,
      stripe_fees: 93,
      [`tips_payable:${s.staffIds[0]}`]: 100,
    });
    expect(b.totals).toEqual([{ currency: "EUR", balance: 0 }]);
    expect(b.accounts.find((a) => a.account === "customer_deposits")).toMatchObject({ type: "liability" });

    const early = LedgerBalances.parse(
      (await t.request("GET", "/v1/admin/ledger/balances?at=2027-02-28T09:20:00Z", { key })).body,
    );
    expect(Object.fromEntries(early.accounts.map((a) => [a.account, a.balance]))).toEqual({
      customer_deposits: -3500,
      platform_fees: 150,
      stripe_balance: 3257,
      stripe_fees: 93,
    });
    const bad = await t.request("GET", "/v1/admin/ledger/balances?at=tomorrow", { key });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("VALIDATION_FAILED");
  });
});

describe("who may read the ledger", () => {
  it("not without a key, not a manager or a staff member (403), and another business sees only its own (none)", async () => {
    for (const path of ["/v1/admin/ledger", "/v1/admin/ledger/balances"]) {
      expect((await t.request("GET", path)).status).toBe(401);
      expect((await t.request("GET", path, { key: "sk_wrong" })).status).toBe(401);
    }
    const manager = await addMember(t, s.tenant, "manager");
    const staff = await addMember(t, s.tenant, "staff", s.staffIds[0]);
    const owner = await signInOwner(t, s.tenant);
    for (const path of ["/v1/admin/ledger", "/v1/admin/ledger/balances"]) {
      expect((await t.request("GET", path, manager.as())).status, path).toBe(403);
      expect((await t.request("GET", path, staff.as())).status, path).toBe(403);
      expect((await t.request("GET", path, owner.as())).status, path).toBe(200);
    }
    const other = await createSalon(t);
    const theirs = await t.request("GET", `/v1/admin/ledger?bookingId=${bookingId}`, { key: other.tenant.apiKey });
    expect(theirs.body).toEqual({ data: [], nextCursor: null });
    expect((await t.request("GET", "/v1/admin/ledger", { key: other.tenant.apiKey })).body.data).toEqual([]);
    const balances = await t.request("GET", "/v1/admin/ledger/balances", { key: other.tenant.apiKey });
    expect(balances.body).toMatchObject({ accounts: [], totals: [] });
  });
});
