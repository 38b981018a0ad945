// What the Chromium money tests ask of the stack beside the browser: SQL as the superuser, the admin API with the demo
// business's key, and the ledger of one booking (GET /v1/admin/ledger?bookingId=) with its balance per account.
import pg from "pg";
import { expect } from "vitest";
import type { WidgetWorld } from "./harness.ts";

export interface Line {
  account: string;
  amount: number;
  currency: string;
  bookingId: string | null;
}
export interface Entry {
  kind: string;
  source: { type: string; id: string };
  lines: Line[];
}

/** Helpers bound to the world a test file starts in `beforeAll` (read when called, not when made). */
export function moneyClient(world: () => WidgetWorld) {
  async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
    const client = new pg.Client({ connectionString: world().stack.adminUrl });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const w = world();
    const res = await fetch(`${w.stack.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${w.apiKey}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }

  async function ledgerOf(bookingId: string): Promise<Entry[]> {
    const res = await admin("GET", `/v1/admin/ledger?bookingId=${bookingId}&limit=100`);
    expect(res.status).toBe(200);
    return res.body.data as Entry[];
  }

  return { sql, admin, ledgerOf };
}

/** The booking's balance per account over its ledger lines (accounts that net to zero left out). */
export function balances(entries: Entry[], bookingId: string): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const e of entries)
    for (const l of e.lines) if (l.bookingId === bookingId) sums[l.account] = (sums[l.account] ?? 0) + l.amount;
  return Object.fromEntries(Object.entries(sums).filter(([, v]) => v !== 0));
}
