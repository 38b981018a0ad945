// Customer verbs for the dashboard: search, a customer's page (bookings and counts) and their private notes.
import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { bookings, customers } from "../../db/schema/index.ts";
import { NotFound } from "../../errors.ts";
import { looksLikeId } from "../../lib/ids.ts";
import {
  CUSTOMER_RECENT_BOOKINGS,
  type CustomerDetail,
  type CustomerList,
  type CustomerListQuery,
  type CustomerPatch,
  type CustomerSummary,
} from "../../schemas/customer.ts";
import { customerMatches, selectAdminBookings, toAdminBooking } from "../bookings/list.ts";
import type { TenantCtx } from "../context.ts";
import { afterKeyset, cursorAt, decodeKeyset, pageOf } from "../staff/keyset.ts";

type CustomerRow = typeof customers.$inferSelect;

function toSummary(c: CustomerRow): CustomerSummary {
  return { id: c.id, name: c.name, email: c.email, phone: c.phone, createdAt: c.createdAt.toISOString() };
}

/** Customers, oldest first, optionally those matching `q`. */
export async function listCustomers({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: CustomerListQuery;
}): Promise<CustomerList> {
  const keyset = decodeKeyset(input.cursor);
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const rows = await tx
      .select({ row: customers, id: customers.id, cursorAt: cursorAt(customers.createdAt) })
      .from(customers)
      .where(
        and(input.q ? customerMatches(input.q) : undefined, afterKeyset(customers.createdAt, customers.id, keyset)),
      )
      .orderBy(asc(customers.createdAt), asc(customers.id))
      .limit(input.limit + 1);
    return pageOf(rows, input.limit, (r) => toSummary(r.row));
  });
}

/** The customer's page: their details and notes, counts over all their bookings, the latest bookings. */
async function customerPage(tx: Tx, id: string): Promise<CustomerDetail> {
  const [c] = await tx.select().from(customers).where(eq(customers.id, id));
  if (!c) throw new NotFound("Customer");
  const [counts] = await tx
    .select({
      total: sql<number>`count(*)::int`,
      completed: sql<number>`count(*) FILTER (WHERE ${bookings.status} = 'completed')::int`,
      noShows: sql<number>`count(*) FILTER (WHERE ${bookings.status} = 'no_show')::int`,
      cancelled: sql<number>`count(*) FILTER (WHERE ${bookings.status} = 'cancelled')::int`,
    })
    .from(bookings)
    .where(eq(bookings.customerId, id));
  const recent = await selectAdminBookings(tx)
    .where(eq(bookings.customerId, id))
    .orderBy(desc(bookings.startsAt), desc(bookings.id))
    .limit(CUSTOMER_RECENT_BOOKINGS);
  return {
    ...toSummary(c),
    notes: c.notes,
    counts: counts ?? { total: 0, completed: 0, noShows: 0, cancelled: 0 },
    bookings: recent.map(toAdminBooking),
  };
}

export async function getCustomer({ ctx, id }: { ctx: TenantCtx; id: string }): Promise<CustomerDetail> {
  if (!looksLikeId("cus", id)) throw new NotFound("Customer");
  return ctx.db.withTenantTx(ctx.tenantId, (tx) => customerPage(tx, id));
}

export async function updateCustomer({
  ctx,
  id,
  input,
}: {
  ctx: TenantCtx;
  id: string;
  input: CustomerPatch;
}): Promise<CustomerDetail> {
  if (!looksLikeId("cus", id)) throw new NotFound("Customer");
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    await tx
      .update(customers)
      .set({ notes: input.notes === "" ? null : input.notes })
      .where(eq(customers.id, id));
    return customerPage(tx, id);
  });
}
