// GET /v1/admin/ledger/alerts: what the hourly ledger check found (ledger-checks.ts), one alert per identity and
// subject, the most recently seen first.
import { desc } from "drizzle-orm";
import { ledgerAlerts } from "../../db/schema/index.ts";
import { ValidationFailed } from "../../errors.ts";
import type { LedgerAlertList } from "../../schemas/ledger.ts";
import type { TenantCtx } from "../context.ts";
import { beforeKeyset, cursorAt, decodeKeyset, encodeCursor } from "../staff/keyset.ts";

export async function listLedgerAlerts({
  ctx,
  limit,
  cursor,
}: {
  ctx: TenantCtx;
  limit: number;
  cursor?: string | undefined;
}): Promise<LedgerAlertList> {
  const keyset = decodeKeyset(cursor);
  // Alert ids are numbers: a cursor with any other id was not issued here.
  if (keyset && !/^\d{1,18}$/.test(keyset.id))
    throw new ValidationFailed("The cursor is malformed", [{ path: ["cursor"], message: "Invalid cursor" }]);
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const rows = await tx
      .select({ alert: ledgerAlerts, cursorAt: cursorAt(ledgerAlerts.lastSeenAt) })
      .from(ledgerAlerts)
      .where(beforeKeyset(ledgerAlerts.lastSeenAt, ledgerAlerts.id, keyset && { at: keyset.at, id: Number(keyset.id) }))
      .orderBy(desc(ledgerAlerts.lastSeenAt), desc(ledgerAlerts.id))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map(({ alert: a }) => ({
        id: String(a.id),
        identity: a.identity,
        subject: a.subject,
        currency: a.currency?.trim() ?? null,
        detail: a.detail,
        firstSeenAt: a.firstSeenAt.toISOString(),
        lastSeenAt: a.lastSeenAt.toISOString(),
        count: a.count,
      })),
      nextCursor: rows.length > limit && last ? encodeCursor({ at: last.cursorAt, id: String(last.alert.id) }) : null,
    };
  });
}
