// Service verbs: list, read, create, update (staff links replaced as a whole) and soft delete.
import { and, asc, eq, gt, inArray, isNull } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { bookings, services, tenants } from "../../db/schema/index.ts";
import { Conflict, NotFound, ValidationFailed } from "../../errors.ts";
import { looksLikeId, newId } from "../../lib/ids.ts";
import type { Money } from "../../schemas/common.ts";
import type { Deposit, Service, ServiceCreate, ServiceList, ServicePatch } from "../../schemas/service.ts";
import type { ListQuery } from "../../schemas/staff.ts";
import { depositOf } from "../catalog/catalog.ts";
import type { TenantCtx } from "../context.ts";
import { assertServiceRoom, assertStaffPerService, lockCatalogLimits } from "../limits/limits.ts";
import { afterKeyset, cursorAt, decodeKeyset, pageOf } from "../staff/keyset.ts";
import { assertLinkable, dropLinks, linkedIds, replaceLinks } from "../staff/links.ts";

type ServiceRow = typeof services.$inferSelect;
type Settings = Omit<ServicePatch, "staffIds" | "price" | "deposit">;

async function toServices(tx: Tx, rows: ServiceRow[]): Promise<Service[]> {
  const links = await linkedIds(
    tx,
    "service",
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    durationMinutes: r.durationMinutes,
    price: { amount: r.priceAmount, currency: r.currency },
    bufferBeforeMinutes: r.bufferBeforeMinutes,
    bufferAfterMinutes: r.bufferAfterMinutes,
    minNoticeMinutes: r.minNoticeMinutes,
    maxAdvanceDays: r.maxAdvanceDays,
    slotStepMinutes: r.slotStepMinutes,
    deposit: depositOf(r),
    staffIds: links.get(r.id) ?? [],
    createdAt: r.createdAt.toISOString(),
  }));
}

/** Prices are in the tenant's currency, and a fixed deposit cannot exceed the price (both 400s). */
async function checkPricing(tx: Tx, tenantId: string, price: Money, deposit: Deposit | null): Promise<void> {
  // A share lock: updateTenant changes the currency under an update lock and checks services after.
  const [tenant] = await tx
    .select({ currency: tenants.currency })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
    .for("share");
  if (price.currency !== tenant?.currency)
    throw new ValidationFailed(`Prices must be in the business's currency (${tenant?.currency})`, [
      { path: ["price", "currency"], message: `Expected ${tenant?.currency}` },
    ]);
  if (deposit && "amount" in deposit && deposit.amount > price.amount)
    throw new ValidationFailed("The deposit cannot exceed the price", [
      { path: ["deposit", "amount"], message: "Larger than the price" },
    ]);
}

function depositColumns(deposit: Deposit | null) {
  return {
    depositPercent: deposit && "percent" in deposit ? deposit.percent : null,
    depositAmount: deposit && "amount" in deposit ? deposit.amount : null,
  };
}

export async function listServices({ ctx, input }: { ctx: TenantCtx; input: ListQuery }): Promise<ServiceList> {
  const keyset = decodeKeyset(input.cursor);
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const rows = await tx
      .select({ row: services, id: services.id, cursorAt: cursorAt(services.createdAt) })
      .from(services)
      .where(and(isNull(services.deletedAt), afterKeyset(services.createdAt, services.id, keyset)))
      .orderBy(asc(services.createdAt), asc(services.id))
      .limit(input.limit + 1);
    const page = pageOf(rows, input.limit, (r) => r.row);
    return { data: await toServices(tx, page.data), nextCursor: page.nextCursor };
  });
}

async function liveService(tx: Tx, id: string, lock?: "update"): Promise<ServiceRow> {
  if (!looksLikeId("svc", id)) throw new NotFound("Service");
  const query = tx
    .select()
    .from(services)
    .where(and(eq(services.id, id), isNull(services.deletedAt)));
  const [row] = lock ? await query.for(lock) : await query;
  if (!row) throw new NotFound("Service");
  return row;
}

export async function getService({ ctx, input }: { ctx: TenantCtx; input: { id: string } }): Promise<Service> {
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => (await toServices(tx, [await liveService(tx, input.id)]))[0]!);
}

export async function createService({ ctx, input }: { ctx: TenantCtx; input: ServiceCreate }): Promise<Service> {
  const { price, deposit = null, staffIds, ...settings } = input;
  assertStaffPerService(staffIds);
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    await lockCatalogLimits(tx, ctx.tenantId);
    await assertServiceRoom(tx, ctx.tenantId);
    await checkPricing(tx, ctx.tenantId, price, deposit);
    await assertLinkable(tx, "service", staffIds);
    const [row] = await tx
      .insert(services)
      .values({
        ...settings,
        id: newId("svc"),
        tenantId: ctx.tenantId,
        description: settings.description ?? null,
        priceAmount: price.amount,
        currency: price.currency,
        ...depositColumns(deposit),
      })
      .returning();
    await replaceLinks(tx, ctx.tenantId, "service", row!.id, staffIds);
    return (await toServices(tx, [row!]))[0]!;
  });
}

export async function updateService({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { id: string; patch: ServicePatch };
}): Promise<Service> {
  const { price, deposit, staffIds, ...settings } = input.patch;
  if (staffIds) assertStaffPerService(staffIds);
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    if (staffIds) await lockCatalogLimits(tx, ctx.tenantId); // staff may be joining this service meanwhile
    const current = await liveService(tx, input.id, "update");
    const nextPrice = price ?? { amount: current.priceAmount, currency: current.currency };
    const nextDeposit = deposit === undefined ? depositOf(current) : deposit;
    if (price || deposit !== undefined) await checkPricing(tx, ctx.tenantId, nextPrice, nextDeposit);
    if (staffIds) await assertLinkable(tx, "service", staffIds);
    const changes: Partial<ServiceRow> = { ...(settings as Settings) };
    if (price) Object.assign(changes, { priceAmount: price.amount, currency: price.currency });
    if (deposit !== undefined) Object.assign(changes, depositColumns(deposit));
    let row = current;
    if (Object.keys(changes).length > 0)
      [row] = (await tx.update(services).set(changes).where(eq(services.id, input.id)).returning()) as [ServiceRow];
    if (staffIds) await replaceLinks(tx, ctx.tenantId, "service", input.id, staffIds);
    return (await toServices(tx, [row]))[0]!;
  });
}

/** Soft delete: bookings keep pointing at the row; refused while the service still has future active bookings. */
export async function deleteService({ ctx, input }: { ctx: TenantCtx; input: { id: string } }): Promise<void> {
  await ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    await liveService(tx, input.id, "update");
    const [upcoming] = await tx
      .select({ id: bookings.id })
      .from(bookings)
      .where(
        and(
          eq(bookings.serviceId, input.id),
          inArray(bookings.status, ["pending_payment", "confirmed"]),
          gt(bookings.startsAt, ctx.now),
        ),
      )
      .limit(1);
    if (upcoming) throw new Conflict("This service still has upcoming bookings; cancel or move them first");
    await tx.update(services).set({ deletedAt: ctx.now }).where(eq(services.id, input.id));
    await dropLinks(tx, "service", input.id);
  });
}
