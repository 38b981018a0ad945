// The ledger's rules proven by the database alone (migrations/0017), in raw SQL through the app role: an entry that
// does not balance (per currency) or has no lines is refused at COMMIT, lines cannot join an entry of an earlier
// transaction, nothing is ever updated or deleted, a source posts once, and row-level security hides other tenants.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../worker/src/lib/ids.ts";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";
import { ignoreTermination } from "./helpers/pg-lifecycle.ts";

let tdb: TestDatabase;
const A = newId("ten");
const B = newId("ten");

/** A raw connection as the app role (the worker's login), no helper in between. */
async function appClient(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: tdb.appUrl });
  c.on("error", ignoreTermination);
  await c.connect();
  return c;
}

/** Runs `statements` in one transaction of `tenant` and COMMITs; resolves to the SQLSTATE of the first failure. */
async function inTx(tenant: string, statements: string[]): Promise<{ failedAt: string | null; code: string | null }> {
  const c = await appClient();
  try {
    await c.query("BEGIN");
    await c.query("SELECT begin_tenant($1)", [tenant]);
    for (const s of statements) {
      try {
        await c.query(s);
      } catch (err) {
        await c.query("ROLLBACK");
        return { failedAt: s, code: (err as { code?: string }).code ?? "?" };
      }
    }
    try {
      await c.query("COMMIT");
    } catch (err) {
      return { failedAt: "COMMIT", code: (err as { code?: string }).code ?? "?" };
    }
    return { failedAt: null, code: null };
  } finally {
    await c.end();
  }
}

const accounts = (t: string) =>
  `INSERT INTO ledger_accounts (tenant_id, code, type) VALUES ('${t}', 'stripe_balance', 'asset'),
     ('${t}', 'customer_deposits', 'liability'), ('${t}', 'stripe_fees', 'expense') ON CONFLICT DO NOTHING`;
const entry = (t: string, id: string, source = id) =>
  `INSERT INTO journal_entries (id, tenant_id, occurred_at, kind, source_type, source_id)
     VALUES ('${id}', '${t}', '2027-03-01T10:00:00Z', 'deposit.paid', 'stripe_event', '${source}')`;
const line = (t: string, id: string, account: string, amount: number, currency = "EUR") =>
  `INSERT INTO journal_lines (tenant_id, entry_id, account, amount, currency)
     VALUES ('${t}', '${id}', '${account}', ${amount}, '${currency}')`;

const countOf = async (sqlText: string, params: unknown[] = []) =>
  (await tdb.admin<{ n: number }>(`SELECT count(*)::int AS n FROM (${sqlText}) x`, params))[0]!.n;

let posted: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  for (const [id, slug] of [
    [A, "ledger-a"],
    [B, "ledger-b"],
  ] as const)
    await tdb.admin("INSERT INTO tenants (id, slug, name, timezone, currency) VALUES ($1, $2, $2, 'UTC', 'EUR')", [
      id,
      slug,
    ]);
  posted = `jre_${"a".repeat(20)}`;
  const ok = await inTx(A, [
    accounts(A),
    entry(A, posted),
    line(A, posted, "stripe_balance", 1457),
    line(A, posted, "stripe_fees", 43),
    line(A, posted, "customer_deposits", -1500),
  ]);
  expect(ok).toEqual({ failedAt: null, code: null });
});
afterAll(async () => tdb?.drop());

describe("the database refuses", () => {
  it("an entry whose lines do not sum to zero, at COMMIT (each statement alone is accepted)", async () => {
    const id = newId("jre");
    const r = await inTx(A, [
      accounts(A),
      entry(A, id),
      line(A, id, "stripe_balance", 1500),
      line(A, id, "customer_deposits", -1499),
    ]);
    expect(r).toEqual({ failedAt: "COMMIT", code: "LGR01" });
    expect(await countOf("SELECT 1 FROM journal_entries WHERE id = $1", [id])).toBe(0);
  });

  it("an entry whose lines sum to zero overall but not in each of its two currencies", async () => {
    const id = newId("jre");
    const r = await inTx(A, [
      accounts(A),
      entry(A, id),
      line(A, id, "stripe_balance", 1500, "EUR"),
      line(A, id, "customer_deposits", -1500, "GBP"),
    ]);
    expect(r).toEqual({ failedAt: "COMMIT", code: "LGR01" });
  });

  it("an entry with no lines", async () => {
    const id = newId("jre");
    expect(await inTx(A, [entry(A, id)])).toEqual({ failedAt: "COMMIT", code: "LGR01" });
  });

  it("a line of zero, and a line on an account that was never created", async () => {
    const id = newId("jre");
    const zero = await inTx(A, [accounts(A), entry(A, id), line(A, id, "stripe_balance", 0)]);
    expect(zero.code).toBe("23514");
    const unknown = await inTx(A, [entry(A, id), line(A, id, "bank", 5), line(A, id, "stripe_balance", -5)]);
    expect(unknown.code).toBe("23503");
  });

  it("balanced lines added to an entry another transaction created", async () => {
    const r = await inTx(A, [line(A, posted, "stripe_balance", 100), line(A, posted, "stripe_fees", -100)]);
    expect(r).toEqual({ failedAt: "COMMIT", code: "LGR03" });
    expect(await countOf("SELECT 1 FROM journal_lines WHERE entry_id = $1", [posted])).toBe(3);
  });

  it("a second posting of one source (unique per tenant and source), whatever its lines", async () => {
    const id = newId("jre");
    const r = await inTx(A, [
      entry(A, id, posted),
      line(A, id, "stripe_balance", 1500),
      line(A, id, "customer_deposits", -1500),
    ]);
    expect(r.code).toBe("23505");
    expect(r.failedAt).toContain("INSERT INTO journal_entries");
    // the same source id in another tenant is another fact
    const other = newId("jre");
    const inB = await inTx(B, [
      accounts(B),
      entry(B, other, posted),
      line(B, other, "stripe_balance", 1),
      line(B, other, "customer_deposits", -1),
    ]);
    expect(inB).toEqual({ failedAt: null, code: null });
  });

  it("UPDATE and DELETE of a line, an entry or an account by the app role (no privilege)", async () => {
    for (const s of [
      `UPDATE journal_lines SET amount = amount + 1 WHERE entry_id = '${posted}'`,
      `DELETE FROM journal_lines WHERE entry_id = '${posted}'`,
      `UPDATE journal_entries SET occurred_at = now() WHERE id = '${posted}'`,
      `DELETE FROM journal_entries WHERE id = '${posted}'`,
      `UPDATE ledger_accounts SET type = 'income' WHERE code = 'stripe_balance'`,
      `DELETE FROM ledger_accounts WHERE code = 'stripe_fees'`,
      "TRUNCATE journal_lines",
    ])
      expect(await inTx(A, [s]), s).toEqual({ failedAt: s, code: "42501" });
  });

  it("UPDATE, DELETE and TRUNCATE even by the tables' owner (a trigger, not only privileges)", async () => {
    for (const s of [
      `UPDATE journal_lines SET amount = -amount WHERE entry_id = '${posted}'`,
      `DELETE FROM journal_lines WHERE entry_id = '${posted}'`,
      `UPDATE journal_entries SET kind = 'x' WHERE id = '${posted}'`,
      `DELETE FROM journal_entries WHERE id = '${posted}'`,
      `DELETE FROM ledger_accounts WHERE tenant_id = '${A}'`,
      "TRUNCATE journal_lines, journal_entries, ledger_accounts",
    ])
      await expect(tdb.admin(s), s).rejects.toMatchObject({ code: "LGR02" });
    // a business with money history cannot be deleted either (no cascade into the ledger)
    await expect(tdb.admin(`DELETE FROM tenants WHERE id = '${A}'`)).rejects.toMatchObject({ code: "23503" });
    expect(
      await tdb.admin("SELECT account, amount FROM journal_lines WHERE entry_id = $1 ORDER BY id", [posted]),
    ).toEqual([
      { account: "stripe_balance", amount: "1457" },
      { account: "stripe_fees", amount: "43" },
      { account: "customer_deposits", amount: "-1500" },
    ]);
  });
});

describe("row-level security on the ledger", () => {
  it("hides another tenant's accounts, entries and lines, and refuses writing into them", async () => {
    const c = await appClient();
    try {
      await c.query("BEGIN");
      await c.query("SELECT begin_tenant($1)", [B]);
      for (const table of ["ledger_accounts", "journal_entries", "journal_lines"]) {
        const seen = await c.query(`SELECT tenant_id FROM ${table}`);
        expect(seen.rows.length, table).toBeGreaterThan(0);
        expect(
          seen.rows.every((r) => r.tenant_id === B),
          table,
        ).toBe(true);
      }
      expect((await c.query("SELECT 1 FROM journal_entries WHERE id = $1", [posted])).rows).toEqual([]);
      await c.query("ROLLBACK");
    } finally {
      await c.end();
    }
    const smuggled = newId("jre");
    const r = await inTx(B, [entry(A, smuggled)]);
    expect(r.code).toBe("42501"); // new row violates row-level security policy
    expect(await countOf("SELECT 1 FROM journal_entries WHERE tenant_id = $1", [A])).toBe(1);
    // no tenant set: nothing at all
    const none = await appClient();
    try {
      expect((await none.query("SELECT * FROM journal_lines")).rows).toEqual([]);
    } finally {
      await none.end();
    }
  });
});
