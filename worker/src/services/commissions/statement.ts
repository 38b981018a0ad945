// A staff member's statement (issue 14 item 2): every figure is a sum of journal lines of the period (local dates in
// the tenant's zone), and the entries holding those lines are listed with them. Staff sessions read only their own.
import { and, asc, eq, gte, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { journalEntries, journalLines, staff, tenants } from "../../db/schema/index.ts";
import { statementPeriod } from "../../domain/commissions.ts";
import { commissionsPayable, tipsPayable } from "../../domain/ledger.ts";
import { staffScopeOf } from "../../domain/permissions.ts";
import { addDays, zonedWallTimeToInstant } from "../../domain/time.ts";
import { Forbidden, NotFound } from "../../errors.ts";
import { STATEMENT_MAX_ENTRIES, type StaffStatement, type StatementQuery } from "../../schemas/commissions.ts";
import type { TenantCtx } from "../context.ts";

/** Income lines a statement reports for the staff member who performed the service. */
export const STAFF_INCOME_ACCOUNTS = ["service_revenue", "discounts", "cancellation_fees", "refunds_given"];

/** A staff member's payable accounts: what they are owed is −Σ of their lines. */
export const payableAccounts = (staffId: string) => [commissionsPayable(staffId), tipsPayable(staffId)];

/** The lines a statement sums: the staff member's payables, and the income lines that concern them. */
const statementLine = (staffId: string): SQL =>
  or(
    inArray(journalLines.account, payableAccounts(staffId)),
    and(eq(journalLines.staffId, staffId), inArray(journalLines.account, STAFF_INCOME_ACCOUNTS)),
  ) as SQL;

/** 404 for an unknown staff member, 403 for a staff session asking for another's. */
export async function assertStatementReader(ctx: TenantCtx, tx: Tx, staffId: string): Promise<void> {
  const [row] = await tx.select({ id: staff.id }).from(staff).where(eq(staff.id, staffId));
  if (!row) throw new NotFound("Staff member");
  // A staff session reads its own statement only; one linked to no staff record reads none.
  if (ctx.actor?.role === "staff" && staffScopeOf(ctx.actor) !== staffId)
    throw new Forbidden("A staff member may read only their own statement");
}

/** What the staff member is owed (commission and tips) from every line up to `before` (exclusive; default all). */
export async function owedTo(tx: Tx, staffId: string, before?: Date): Promise<{ commission: number; tips: number }> {
  const [row] = await tx
    .select({
      commission: sql<string>`coalesce(-sum(${journalLines.amount}) FILTER (WHERE ${journalLines.account} = ${commissionsPayable(staffId)}), 0)::text`,
      tips: sql<string>`coalesce(-sum(${journalLines.amount}) FILTER (WHERE ${journalLines.account} = ${tipsPayable(staffId)}), 0)::text`,
    })
    .from(journalLines)
    .innerJoin(
      journalEntries,
      and(eq(journalEntries.tenantId, journalLines.tenantId), eq(journalEntries.id, journalLines.entryId)),
    )
    .where(
      and(
        inArray(journalLines.account, payableAccounts(staffId)),
        before ? lt(journalEntries.occurredAt, before) : undefined,
      ),
    );
  return { commission: Number(row?.commission ?? 0), tips: Number(row?.tips ?? 0) };
}

/** The statement for a period; see docs/API.md "Staff statements". */
export async function staffStatement({
  ctx,
  staffId,
  query,
}: {
  ctx: TenantCtx;
  staffId: string;
  query: StatementQuery;
}): Promise<StaffStatement> {
  const period = statementPeriod(query);
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    await assertStatementReader(ctx, tx, staffId);
    const [tenant] = await tx
      .select({ timezone: tenants.timezone, currency: tenants.currency })
      .from(tenants)
      .where(eq(tenants.id, ctx.tenantId));
    const zone = tenant?.timezone ?? "UTC";
    const from = new Date(zonedWallTimeToInstant(period.from, 0, zone));
    const to = new Date(zonedWallTimeToInstant(addDays(period.to, 1), 0, zone));
    const inPeriod = and(gte(journalEntries.occurredAt, from), lt(journalEntries.occurredAt, to));
    const joined = and(eq(journalEntries.tenantId, journalLines.tenantId), eq(journalEntries.id, journalLines.entryId));
    const [cp, tp] = payableAccounts(staffId) as [string, string];
    const a = journalLines.amount;
    const acc = journalLines.account;
    const payment = sql`${journalEntries.sourceType} = 'commission_payment'`;
    const mine = sql`${journalLines.staffId} = ${staffId}`;
    const sum = (filter: SQL, negate = false) =>
      sql<string>`coalesce(${negate ? sql`-` : sql``}sum(${a}) FILTER (WHERE ${filter}), 0)::text`;
    const [f] = await tx
      .select({
        appointments: sql<number>`count(DISTINCT ${journalEntries.id}) FILTER (WHERE ${journalEntries.kind} = 'booking.completed' AND ${mine})::int`,
        revenue: sum(sql`${mine} AND ${acc} IN ('service_revenue', 'discounts')`, true),
        cancellationFees: sum(sql`${mine} AND ${acc} = 'cancellation_fees'`, true),
        refunds: sum(sql`${mine} AND ${acc} = 'refunds_given'`),
        commission: sum(sql`${acc} = ${cp} AND ${a} < 0`, true),
        tips: sum(sql`${acc} = ${tp} AND ${a} < 0`, true),
        commissionReversed: sum(sql`${acc} = ${cp} AND ${a} > 0 AND NOT (${payment})`),
        paid: sum(sql`${acc} IN (${cp}, ${tp}) AND ${a} > 0 AND ${payment}`),
        owedChange: sum(sql`${acc} IN (${cp}, ${tp})`, true),
      })
      .from(journalLines)
      .innerJoin(journalEntries, joined)
      .where(and(statementLine(staffId), inPeriod));
    const opening = await owedTo(tx, staffId, from);
    const entryIds = await tx
      .selectDistinct({ id: journalEntries.id, occurredAt: journalEntries.occurredAt })
      .from(journalLines)
      .innerJoin(journalEntries, joined)
      .where(and(statementLine(staffId), inPeriod))
      .orderBy(asc(journalEntries.occurredAt), asc(journalEntries.id))
      .limit(STATEMENT_MAX_ENTRIES + 1);
    const listed = entryIds.slice(0, STATEMENT_MAX_ENTRIES).map((e) => e.id);
    const entries = listed.length > 0 ? await loadStatementEntries(tx, staffId, listed) : [];
    const openingBalance = opening.commission + opening.tips;
    return {
      staffId,
      currency: tenant?.currency.trim() ?? "",
      timezone: zone,
      period,
      appointments: Number(f?.appointments ?? 0),
      revenue: Number(f?.revenue ?? 0),
      cancellationFees: Number(f?.cancellationFees ?? 0),
      refunds: Number(f?.refunds ?? 0),
      commission: Number(f?.commission ?? 0),
      tips: Number(f?.tips ?? 0),
      commissionReversed: Number(f?.commissionReversed ?? 0),
      paid: Number(f?.paid ?? 0),
      openingBalance,
      balanceOwed: openingBalance + Number(f?.owedChange ?? 0),
      entries,
      entriesTruncated: entryIds.length > STATEMENT_MAX_ENTRIES,
    };
  });
}

/** The listed entries with only the lines the statement sums, oldest first. */
async function loadStatementEntries(tx: Tx, staffId: string, ids: string[]): Promise<StaffStatement["entries"]> {
  const entries = await tx
    .select()
    .from(journalEntries)
    .where(inArray(journalEntries.id, ids))
    .orderBy(asc(journalEntries.occurredAt), asc(journalEntries.id));
  const lines = await tx
    .select()
    .from(journalLines)
    .where(and(inArray(journalLines.entryId, ids), statementLine(staffId)))
    .orderBy(asc(journalLines.id));
  return entries.map((e) => ({
    id: e.id,
    occurredAt: e.occurredAt.toISOString(),
    kind: e.kind,
    source: { type: e.sourceType, id: e.sourceId },
    lines: lines
      .filter((l) => l.entryId === e.id)
      .map((l) => ({
        account: l.account,
        amount: l.amount,
        currency: l.currency.trim(),
        bookingId: l.bookingId,
        staffId: l.staffId,
        serviceId: l.serviceId,
      })),
  }));
}
