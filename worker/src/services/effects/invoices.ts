// Invoices: issued once per confirmed booking with the tenant's next gapless number, and shown to whoever holds the
// invoice link (its token is an HMAC of the invoice id, so nothing secret is stored).
import { eq, sql } from "drizzle-orm";
import type { Database, Tx } from "../../db/client.ts";
import { tenants } from "../../db/schema.ts";
import { NotFound } from "../../errors.ts";
import { timingSafeEqual } from "../../lib/crypto.ts";
import { looksLikeId, newId } from "../../lib/ids.ts";
import { manageTokenFor } from "../../lib/manage-token.ts";
import type { ServiceConfig } from "../context.ts";
import { loadBookingContext } from "./booking-context.ts";
import { invoices } from "./schema.ts";

export type InvoiceRow = typeof invoices.$inferSelect;

const INVOICEABLE: ReadonlySet<string> = new Set(["confirmed", "completed", "no_show"]);

/**
 * Issues the booking's invoice unless it has one (or is no longer confirmed, or is free). The booking row is locked
 * first, so two events for one booking cannot both issue; the counter row is advanced in this transaction, so a
 * rollback returns the number and numbers stay gapless (a sequence would leave holes).
 */
export async function issueInvoice(
  tx: Tx,
  a: { tenantId: string; bookingId: string; now: Date },
): Promise<InvoiceRow | null> {
  await tx.execute(sql`SELECT 1 FROM bookings WHERE id = ${a.bookingId} FOR UPDATE`);
  const [existing] = await tx.select().from(invoices).where(eq(invoices.bookingId, a.bookingId));
  if (existing) return existing;
  const c = await loadBookingContext(tx, a.bookingId);
  if (!c || !INVOICEABLE.has(c.booking.status) || c.booking.priceAmount === 0) return null;
  const counter = await tx.execute<{ number: string }>(sql`
    INSERT INTO invoice_counters (tenant_id, next) VALUES (${a.tenantId}, 2)
    ON CONFLICT (tenant_id) DO UPDATE SET next = invoice_counters.next + 1
    RETURNING next - 1 AS number`);
  const [row] = await tx
    .insert(invoices)
    .values({
      id: newId("inv"),
      tenantId: a.tenantId,
      bookingId: a.bookingId,
      number: Number(counter.rows[0]!.number),
      amount: c.booking.priceAmount,
      currency: c.booking.currency,
      customerName: c.customer.name,
      customerEmail: c.customer.email,
      description: `${c.service.name} with ${c.staff.name}`,
      serviceDate: c.booking.startsAt,
      issuedAt: a.now,
    })
    .returning();
  return row!;
}

/** The invoice link's token: the manage-token derivation applied to the invoice id (a different HMAC message). */
export function invoiceTokenFor(config: ServiceConfig, invoiceId: string): Promise<string> {
  return manageTokenFor(config.manageTokenSecret, `invoice:${invoiceId}`);
}

export function invoiceUrl(config: ServiceConfig, invoiceId: string, token: string): string {
  return `${config.publicBaseUrl}/invoices/${invoiceId}?token=${token}`;
}

export interface InvoiceView {
  invoice: InvoiceRow;
  tenant: { name: string; timezone: string };
}

/** A wrong token and an unknown id look the same (404); the token is checked before the database is asked. */
export async function viewInvoice(a: {
  db: Database;
  config: ServiceConfig;
  invoiceId: string;
  token: string;
}): Promise<InvoiceView> {
  if (!looksLikeId("inv", a.invoiceId)) throw new NotFound("Invoice");
  if (!timingSafeEqual(a.token, await invoiceTokenFor(a.config, a.invoiceId))) throw new NotFound("Invoice");
  const r = await a.db.pool.query<{ id: string | null }>("SELECT invoice_tenant($1) AS id", [a.invoiceId]);
  const tenantId = r.rows[0]?.id;
  if (!tenantId) throw new NotFound("Invoice");
  return a.db.withTenantTx(tenantId, async (tx) => {
    const [row] = await tx
      .select({ invoice: invoices, tenantName: tenants.name, timezone: tenants.timezone })
      .from(invoices)
      .innerJoin(tenants, eq(tenants.id, invoices.tenantId))
      .where(eq(invoices.id, a.invoiceId));
    if (!row) throw new NotFound("Invoice");
    return { invoice: row.invoice, tenant: { name: row.tenantName, timezone: row.timezone } };
  });
}
