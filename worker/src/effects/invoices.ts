// Invoices: issued once per confirmed booking with the tenant's next gapless number, and shown to whoever holds the
// invoice link (its token is an HMAC of the invoice id; only its SHA-256 is stored, and the database's invoice_tenant()
// look-up checks it, as staff_feed_tenant() checks a feed's).
import { eq, sql } from "drizzle-orm";
import type { Database, Tx } from "../db/client.ts";
import { invoices, tenants } from "../db/schema/index.ts";
import { NotFound } from "../errors.ts";
import { sha256Hex } from "../lib/crypto.ts";
import { looksLikeId, newId } from "../lib/ids.ts";
import { acceptsManageToken, manageTokenFor } from "../lib/manage-token.ts";
import type { ServiceConfig } from "../services/context.ts";
import { loadBookingContext } from "./booking-context.ts";

type InvoiceRow = typeof invoices.$inferSelect;

const INVOICEABLE: ReadonlySet<string> = new Set(["confirmed", "completed", "no_show"]);

/**
 * Issues the booking's invoice unless it has one (or is no longer confirmed, or is free). The booking row is locked
 * first, so two events for one booking cannot both issue; the counter row is advanced in this transaction, so a
 * rollback returns the number and numbers stay gapless (a sequence would leave holes).
 */
export async function issueInvoice(
  tx: Tx,
  a: { tenantId: string; bookingId: string; now: Date; config: ServiceConfig },
): Promise<InvoiceRow | null> {
  await tx.execute(sql`SELECT 1 FROM bookings WHERE id = ${a.bookingId} FOR UPDATE`);
  const [existing] = await tx.select().from(invoices).where(eq(invoices.bookingId, a.bookingId));
  if (existing) return existing;
  const c = await loadBookingContext(tx, a.bookingId);
  if (!c || !INVOICEABLE.has(c.booking.status) || c.booking.priceAmount === 0) return null;
  const id = newId("inv");
  const tokenHash = await sha256Hex(await invoiceTokenFor(a.config, id));
  // The counter row stays locked until COMMIT, so every invoice of the tenant queues behind it: advancing it and
  // inserting the invoice is one statement, leaving only the commit inside the lock.
  const inserted = await tx.execute<Record<string, unknown>>(sql`
    WITH n AS (
      INSERT INTO invoice_counters (tenant_id, next) VALUES (${a.tenantId}, 2)
      ON CONFLICT (tenant_id) DO UPDATE SET next = invoice_counters.next + 1
      RETURNING next - 1 AS number
    )
    INSERT INTO invoices (id, tenant_id, booking_id, number, amount, currency, customer_name, customer_email, description,
                          service_date, issued_at, token_hash)
    SELECT ${id}, ${a.tenantId}, ${a.bookingId}, n.number, ${c.booking.priceAmount}, ${c.booking.currency},
           ${c.customer.name}, ${c.customer.email}, ${`${c.service.name} with ${c.staff.name}`},
           ${c.booking.startsAt.toISOString()}::timestamptz, ${a.now.toISOString()}::timestamptz, ${tokenHash}
    FROM n
    RETURNING id, tenant_id, booking_id, number, amount, currency, customer_name, customer_email, description,
              service_date, issued_at, token_hash`);
  const r = inserted.rows[0]!;
  return {
    id: String(r.id),
    tenantId: String(r.tenant_id),
    bookingId: String(r.booking_id),
    number: Number(r.number),
    amount: Number(r.amount),
    currency: String(r.currency),
    customerName: String(r.customer_name),
    customerEmail: String(r.customer_email),
    description: String(r.description),
    serviceDate: new Date(r.service_date as string | Date),
    issuedAt: new Date(r.issued_at as string | Date),
    tokenHash: r.token_hash === null ? null : String(r.token_hash),
  };
}

/** The invoice link's token: the manage-token derivation applied to the invoice id (a different HMAC message). */
export function invoiceTokenFor(config: ServiceConfig, invoiceId: string): Promise<string> {
  return manageTokenFor(config.manageTokenSecret, `invoice:${invoiceId}`);
}

export interface InvoiceView {
  invoice: InvoiceRow;
  tenant: { name: string; timezone: string };
}

/**
 * A wrong token and an unknown id look the same (404). The token is checked here before the database is asked, and
 * again by invoice_tenant(), which knows the invoice only by its id together with the token's hash.
 */
export async function viewInvoice(a: {
  db: Database;
  config: ServiceConfig;
  invoiceId: string;
  token: string;
}): Promise<InvoiceView> {
  if (!looksLikeId("inv", a.invoiceId)) throw new NotFound("Invoice");
  if (!acceptsManageToken(a.config, `invoice:${a.invoiceId}`, a.token)) throw new NotFound("Invoice");
  const r = await a.db.pool.query<{ id: string | null }>("SELECT invoice_tenant($1, $2) AS id", [
    a.invoiceId,
    await sha256Hex(a.token),
  ]);
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
