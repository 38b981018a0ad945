// Changes to an existing booking — cancel, reschedule (the same row moves atomically), complete, no-show — each with
// its outbox row in the same transaction. Public callers prove themselves with the manage token.
import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { bookings } from "../../db/schema/index.ts";
import { reschedulesAllowed } from "../../domain/abuse-limits.ts";
import { blockedRange, isStartOffered } from "../../domain/availability.ts";
import { staffScopeOf } from "../../domain/permissions.ts";
import { AppError, Conflict, NotFound, SlotUnavailable } from "../../errors.ts";
import { sha256Hex } from "../../lib/crypto.ts";
import { acceptsManageToken } from "../../lib/manage-token.ts";
import type { Booking } from "../../schemas/booking.ts";
import type { TenantCtx } from "../context.ts";
import { claimIdempotencyKey, storeIdempotentResponse } from "../idempotency/in-transaction.ts";
import type { IdempotencyRequest } from "../idempotency/keys.ts";
import { applyPolicyRefund } from "../refunds/decide.ts";
import { iso, windowAround } from "./availability.ts";
import { expireHolds, lockStaffCalendar, writeOutbox } from "./outbox-rows.ts";
import { busyRanges, lapsedHoldsIn, loadScheduling } from "./scheduling.ts";
import { toBooking } from "./view.ts";

type BookingRow = typeof bookings.$inferSelect;

/** Who is asking: the tenant's admin, or a customer holding the booking's manage token. */
export type Actor = { kind: "admin" } | { kind: "customer"; manageToken: string };

/** A customer's token must be one the configured secrets make for this booking (a removed secret's tokens are not). */
function assertTokenAccepted(ctx: TenantCtx, id: string, actor: Actor): void {
  if (actor.kind === "customer" && !acceptsManageToken(ctx.config, id, actor.manageToken))
    throw new NotFound("Booking");
}

/** `staffScope`: a staff user's own staff record; another staff member's booking looks missing (a 404). */
async function lockBooking(tx: Tx, id: string, actor: Actor, staffScope: string | null): Promise<BookingRow> {
  const conditions = [eq(bookings.id, id)];
  if (staffScope) conditions.push(eq(bookings.staffId, staffScope));
  if (actor.kind === "customer") conditions.push(eq(bookings.manageTokenHash, await sha256Hex(actor.manageToken)));
  const [row] = await tx
    .select()
    .from(bookings)
    .where(and(...conditions))
    .for("update");
  // A wrong token looks exactly like a missing booking: nothing is revealed.
  if (!row) throw new NotFound("Booking");
  return row;
}

function assertChangeable(row: BookingRow, now: Date): void {
  const lapsedHold = row.status === "pending_payment" && (row.holdExpiresAt?.getTime() ?? 0) <= now.getTime();
  if (!["pending_payment", "confirmed"].includes(row.status) || lapsedHold)
    throw new Conflict(`A ${lapsedHold ? "lapsed" : row.status.replace("_", " ")} booking cannot be changed`);
  if (row.startsAt.getTime() <= now.getTime()) throw new Conflict("The appointment has already started");
}

export async function getBooking({ ctx, id, actor }: { ctx: TenantCtx; id: string; actor: Actor }): Promise<Booking> {
  assertTokenAccepted(ctx, id, actor);
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const conditions = [eq(bookings.id, id)];
    if (actor.kind === "customer") conditions.push(eq(bookings.manageTokenHash, await sha256Hex(actor.manageToken)));
    const [row] = await tx
      .select()
      .from(bookings)
      .where(and(...conditions));
    if (!row) throw new NotFound("Booking");
    return toBooking(row);
  });
}

export async function cancelBooking({
  ctx,
  id,
  actor,
}: {
  ctx: TenantCtx;
  id: string;
  actor: Actor;
}): Promise<Booking> {
  assertTokenAccepted(ctx, id, actor);
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const row = await lockBooking(tx, id, actor, staffScopeOf(ctx.actor));
    if (row.status === "cancelled") return toBooking(row); // a retried cancel is not an error
    assertChangeable(row, ctx.now);
    const [updated] = await tx
      .update(bookings)
      .set({ status: "cancelled", updatedAt: ctx.now })
      .where(eq(bookings.id, id))
      .returning();
    // What was paid is refunded by the policy in this same transaction (the owner cancelling refunds in full).
    await applyPolicyRefund(tx, {
      tenantId: ctx.tenantId,
      booking: row,
      now: ctx.now,
      actor: actor.kind === "admin" ? "owner" : "customer",
      event: "cancellation",
    });
    await writeOutbox(tx, ctx.tenantId, "booking.cancelled", id, {
      previousStatus: row.status,
      staffId: row.staffId,
      start: iso(row.startsAt.getTime()),
      by: actor.kind,
    });
    return toBooking(updated!);
  });
}

export async function rescheduleBooking(args: {
  ctx: TenantCtx;
  id: string;
  actor: Actor;
  start: string;
  idempotency?: IdempotencyRequest | undefined;
}): Promise<Booking> {
  const { ctx, id, actor } = args;
  assertTokenAccepted(ctx, id, actor);
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    // The token first: a replay is the booking itself, so only its holder may have one.
    const row = await lockBooking(tx, id, actor, staffScopeOf(ctx.actor));
    if (args.idempotency) {
      const replay = await claimIdempotencyKey(tx, ctx.tenantId, args.idempotency);
      if (replay) return replay.body as Booking;
    }
    assertChangeable(row, ctx.now);
    const startsAt = Date.parse(args.start);
    const now = ctx.now.getTime();
    const data = await loadScheduling(tx, windowAround(startsAt, row.serviceId, row.staffId));
    // Each move notifies the customer (and may cost a paid message): customers get the tenant's number of moves.
    const byCustomer = actor.kind === "customer";
    if (byCustomer && row.customerReschedules >= reschedulesAllowed(data.policies))
      throw new AppError("RESCHEDULE_LIMIT_REACHED", "This booking cannot be moved again; please contact the business");
    const query = {
      tenantTimeZone: data.timezone,
      now,
      service: data.service,
      staff: data.staff,
      busy: busyRanges(data.bookings, now, id),
    };
    if (!isStartOffered(query, row.staffId, startsAt))
      throw new SlotUnavailable("That time is not offered or is already taken");
    const endsAt = startsAt + data.service.durationMinutes * 60_000;
    const blocked = blockedRange(startsAt, endsAt, data.service);
    await expireHolds(tx, lapsedHoldsIn(data.bookings, row.staffId, blocked, now, id), ctx.now);
    await lockStaffCalendar(tx, row.staffId, blocked);
    // One UPDATE of the same row: the exclusion constraint checks the new range; the old one is released with it.
    const [updated] = await tx
      .update(bookings)
      .set({
        startsAt: new Date(startsAt),
        endsAt: new Date(endsAt),
        blockedFrom: new Date(blocked.startsAt),
        blockedUntil: new Date(blocked.endsAt),
        updatedAt: ctx.now,
        ...(byCustomer && { customerReschedules: sql`${bookings.customerReschedules} + 1` }),
      })
      .where(eq(bookings.id, id))
      .returning();
    const result = toBooking(updated!);
    await writeOutbox(tx, ctx.tenantId, "booking.rescheduled", id, {
      staffId: row.staffId,
      previousStart: iso(row.startsAt.getTime()),
      start: result.start,
      end: result.end,
      by: actor.kind,
    });
    if (args.idempotency) await tx.execute(storeIdempotentResponse(ctx.tenantId, args.idempotency, 200, result));
    return result;
  });
}

/** Marks what happened after the start: completed or no-show (admin only). */
export async function recordOutcome({
  ctx,
  id,
  outcome,
}: {
  ctx: TenantCtx;
  id: string;
  outcome: "completed" | "no_show";
}): Promise<Booking> {
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const row = await lockBooking(tx, id, { kind: "admin" }, staffScopeOf(ctx.actor));
    if (row.status === outcome) return toBooking(row);
    if (row.status !== "confirmed")
      throw new Conflict(`Only a confirmed booking can be marked ${outcome.replace("_", "-")}`);
    if (outcome === "no_show" && row.startsAt.getTime() > ctx.now.getTime())
      throw new Conflict("A booking can be marked no-show only after it has started");
    const [updated] = await tx
      .update(bookings)
      .set({
        status: outcome,
        updatedAt: ctx.now,
        ...(outcome === "completed" ? { completedAt: ctx.now } : { noShowAt: ctx.now }),
      })
      .where(eq(bookings.id, id))
      .returning();
    // A no-show keeps the policy's share of what was paid and refunds the rest (the customer's doing, not the owner's).
    if (outcome === "no_show")
      await applyPolicyRefund(tx, {
        tenantId: ctx.tenantId,
        booking: row,
        now: ctx.now,
        actor: "customer",
        event: "no_show",
      });
    return toBooking(updated!);
  });
}
