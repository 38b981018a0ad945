// Reading the ledger (owner only, for now): entries with their lines page by page, and the trial balance at an instant.
import { and, asc, eq, gte, lt, lte, type SQL, sql } from "drizzle-orm";
import { journalEntries, journalLines, ledgerAccounts } from "../../db/schema/index.ts";
import type { LedgerBalances, LedgerEntryList, LedgerListQuery } from "../../schemas/ledger.ts";
import type { TenantCtx } from "../context.ts";
import { afterKeyset, cursorAt, decodeKeyset, encodeCursor } from "../staff/keyset.ts";
import { loadEntries } from "./post.ts";

/** Entries that have a line matching `condition` (the entry is listed whole, with all its lines). */
const hasLine = (condition: SQL) =>
  sql`EXISTS (SELECT 1 FROM ${journalLines} WHERE ${journalLines.tenantId} = ${journalEntries.tenantId}
        AND ${journalLines.entryId} = ${journalEntries.id} AND ${condition})`;

/** Entries in the order they occurred (then by id), filtered by booking, account and period [from, to). */
export async function listLedger({ ctx, input }: { ctx: TenantCtx; input: LedgerListQuery }): Promise<LedgerEntryList> {
  const keyset = decodeKeyset(input.cursor);
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const rows = await tx
      .select({ id: journalEntries.id, cursorAt: cursorAt(journalEntries.occurredAt) })
      .from(journalEntries)
      .where(
        and(
          input.bookingId ? hasLine(sql`${journalLines.bookingId} = ${input.bookingId}`) : undefined,
          input.account ? hasLine(sql`${journalLines.account} = ${input.account}`) : undefined,
          input.from ? gte(journalEntries.occurredAt, new Date(input.from)) : undefined,
          input.to ? lt(journalEntries.occurredAt, new Date(input.to)) : undefined,
          afterKeyset(journalEntries.occurredAt, journalEntries.id, keyset),
        ),
      )
      .orderBy(asc(journalEntries.occurredAt), asc(journalEntries.id))
      .limit(input.limit + 1);
    const page = rows.slice(0, input.limit);
    const last = page[page.length - 1];
    return {
      data: await loadEntries(
        tx,
        page.map((r) => r.id),
      ),
      nextCursor: rows.length > input.limit && last ? encodeCursor({ at: last.cursorAt, id: last.id }) : null,
    };
  });
}

/** The trial balance: every account's balance from the entries that occurred at or before `at` (default: now). */
export async function ledgerBalances({
  ctx,
  at,
}: {
  ctx: TenantCtx;
  at?: string | undefined;
}): Promise<LedgerBalances> {
  const instant = at ? new Date(at) : ctx.now;
  const rows = await ctx.db.withTenantTx(ctx.tenantId, (tx) =>
    tx
      .select({
        account: journalLines.account,
        type: ledgerAccounts.type,
        currency: journalLines.currency,
        balance: sql<string>`sum(${journalLines.amount})::text`,
      })
      .from(journalLines)
      .innerJoin(
        journalEntries,
        and(eq(journalEntries.tenantId, journalLines.tenantId), eq(journalEntries.id, journalLines.entryId)),
      )
      .innerJoin(
        ledgerAccounts,
        and(eq(ledgerAccounts.tenantId, journalLines.tenantId), eq(ledgerAccounts.code, journalLines.account)),
      )
      .where(lte(journalEntries.occurredAt, instant))
      .groupBy(journalLines.account, ledgerAccounts.type, journalLines.currency)
      .orderBy(asc(journalLines.account), asc(journalLines.currency)),
  );
  const accounts = rows.map((r) => ({ ...r, balance: Number(r.balance) }));
  const totals = new Map<string, number>();
  for (const a of accounts) totals.set(a.currency, (totals.get(a.currency) ?? 0) + a.balance);
  return {
    at: instant.toISOString(),
    accounts,
    totals: [...totals].map(([currency, balance]) => ({ currency, balance })),
  };
}
