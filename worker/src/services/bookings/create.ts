// createBooking: validates the start against the engine, lets the exclusion constraint decide races, and writes the
// customer, booking, outbox row and idempotent response in one statement of one transaction.
// Inserts for one staff member queue on a transaction-scoped advisory lock first: two in-flight inserts with
// overlapping ranges would otherwise each wait for the other on the constraint and end in a deadlock.
import { sql } from "drizzle-orm";
import { isRetryable, noteOutboxWritten, type Tx, type TxSession, withSavepoint } from "../../db/client.ts";
import { blockedRange, isStartOffered } from "../../domain/availability.ts";
import { instantToZonedDate } from "../../domain/time.ts";
import { isSlotConflict, SlotUnavailable } from "../../errors.ts";
import { sha256Hex } from "../../lib/crypto.ts";
import { newId } from "../../lib/ids.ts";
import { manageTokenFor } from "../../lib/manage-token.ts";
import type { BookingCreated, BookingInput } from "../../schemas/booking.ts";
import type { TenantCtx } from "../context.ts";
import { iso, windowAround } from "./availability.ts";
import { claimStatement, type IdempotencyRequest, storedResponse } from "./idempotency.ts";
import { expireHolds } from "./outbox-rows.ts";
import { depositFor } from "./pricing.ts";
import {
  busyRanges,
  isBlocking,
  lapsedHoldsIn,
  loadScheduling,
  parseScheduling,
  type SchedulingData,
  schedulingQuery,
} from "./scheduling.ts";
import { toBooking } from "./view.ts";

const DEFAULT_HOLD_MINUTES = 15;

export interface CreateBookingArgs {
  ctx: TenantCtx;
  input: BookingInput;
  source: "public" | "admin";
  idempotency?: IdempotencyRequest | undefined;
}

export async function createBooking({
  ctx,
  input,
  source,
  idempotency,
}: CreateBookingArgs): Promise<{ status: number; body: BookingCreated }> {
  return ctx.db.withTenantTx(ctx.tenantId, async (tx, session) => {
    const startsAt = Date.parse(input.start);
    const now = ctx.now.getTime();
    const window = windowAround(startsAt, input.serviceId, input.staffId);
    let data: SchedulingData;
    if (idempotency) {
      // The claim and the scheduling load share one round trip (with the BEGIN); a replay just ignores the load.
      const [claimed = [], loaded = []] = await session.batch([
        claimStatement(ctx.tenantId, idempotency),
        schedulingQuery(window),
      ]);
      const replay = await storedResponse(tx, ctx.tenantId, idempotency, claimed);
      if (replay) return replayCreated(ctx, replay);
      data = parseScheduling(loaded[0]);
    } else data = await loadScheduling(tx, window);
    const query = {
      tenantTimeZone: data.timezone,
      now,
      service: data.service,
      staff: data.staff,
      busy: busyRanges(data.bookings, now),
    };
    const offered = data.staff.map((s) => s.staffId).filter((id) => isStartOffered(query, id, startsAt));
    if (offered.length === 0) throw new SlotUnavailable("That time is not offered or is already taken");
    const candidates = input.staffId ? offered : fairOrder(offered, data, startsAt, now);
    for (const [i, staffId] of candidates.entries()) {
      const single = candidates.length === 1;
      const attempt = () =>
        insertBooking(tx, ctx, {
          input,
          source,
          idempotency,
          data,
          staffId,
          startsAt,
          finish: single ? session : undefined,
        });
      try {
        // Only "any staff" needs a savepoint: losing a race there means trying the next free person.
        return single ? await attempt() : await withSavepoint(tx, attempt);
      } catch (err) {
        // A lost race (or a deadlock between two racers) on this person: try the next free one.
        if (!(isSlotConflict(err) || isRetryable(err)) || i === candidates.length - 1) throw err;
      }
    }
    throw new SlotUnavailable();
  });
}

async function replayCreated(ctx: TenantCtx, replay: { status: number; body: unknown }) {
  const body = replay.body as Omit<BookingCreated, "manageToken">;
  return {
    status: replay.status,
    body: withToken(body, await manageTokenFor(ctx.config.manageTokenSecret, body.booking.id)),
  };
}

/** The customer-facing response: the manage token, and the checkout link authorised by it. */
function withToken(stored: Omit<BookingCreated, "manageToken">, manageToken: string): BookingCreated {
  const checkout = stored.checkout && { url: `${stored.checkout.url}?token=${manageToken}` };
  return { ...stored, ...(checkout && { checkout }), manageToken };
}

/** "Any staff": the least booked that local day first, then catalogue order — deterministic and fair. */
function fairOrder(staffIds: string[], data: SchedulingData, startsAt: number, now: number): string[] {
  const day = instantToZonedDate(startsAt, data.timezone);
  const load = new Map<string, number>(staffIds.map((id) => [id, 0]));
  for (const b of data.bookings) {
    if (load.has(b.staffId) && isBlocking(b, now) && instantToZonedDate(b.startsAt, data.timezone) === day)
      load.set(b.staffId, (load.get(b.staffId) ?? 0) + 1);
  }
  return [...staffIds].sort(
    (a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0) || staffIds.indexOf(a) - staffIds.indexOf(b),
  );
}

interface InsertArgs {
  input: BookingInput;
  source: "public" | "admin";
  idempotency: IdempotencyRequest | undefined;
  data: SchedulingData;
  staffId: string;
  startsAt: number;
  /** When set, the insert travels with the COMMIT (one round trip); nothing may follow it. */
  finish: TxSession | undefined;
}

async function insertBooking(tx: Tx, ctx: TenantCtx, a: InsertArgs): Promise<{ status: number; body: BookingCreated }> {
  const { service } = a.data;
  const endsAt = a.startsAt + service.durationMinutes * 60_000;
  const blocked = blockedRange(a.startsAt, endsAt, service);
  const now = ctx.now.getTime();
  await expireHolds(tx, ctx.tenantId, lapsedHoldsIn(a.data.bookings, a.staffId, blocked, now), ctx.now);

  const id = newId("bkg");
  const deposit = depositFor(service);
  const status = deposit > 0 ? "pending_payment" : "confirmed";
  const holdMinutes = a.data.policies.holdMinutes ?? DEFAULT_HOLD_MINUTES;
  const holdExpiresAt = status === "pending_payment" ? now + holdMinutes * 60_000 : null;
  const manageToken = await manageTokenFor(ctx.config.manageTokenSecret, id);
  const booking = toBooking({
    id,
    status,
    serviceId: service.id,
    staffId: a.staffId,
    startsAt: a.startsAt,
    endsAt,
    priceAmount: service.priceAmount,
    depositAmount: deposit,
    currency: service.currency,
    holdExpiresAt,
    createdAt: now,
  });
  // Stored for idempotent replays without the token (tokens are never stored in plaintext); see withToken.
  const checkout =
    status === "pending_payment" ? { url: `${ctx.config.publicBaseUrl}/checkout/${a.data.slug}/${id}` } : undefined;
  const stored = { booking, ...(checkout && { checkout }) };
  const c = a.input.customer;
  const eventId = newId("evt");
  const payload = {
    bookingId: id,
    status,
    serviceId: service.id,
    staffId: a.staffId,
    start: booking.start,
    end: booking.end,
    source: a.source,
  };
  const row = {
    id,
    tenantId: ctx.tenantId,
    customerId: newId("cus"),
    name: c.name,
    email: c.email,
    phone: c.phone ?? null,
    serviceId: service.id,
    staffId: a.staffId,
    status,
    startsAt: iso(a.startsAt),
    endsAt: iso(endsAt),
    blockedFrom: new Date(blocked.startsAt).toISOString(),
    blockedUntil: new Date(blocked.endsAt).toISOString(),
    priceAmount: service.priceAmount,
    depositAmount: deposit,
    currency: service.currency,
    holdExpiresAt: holdExpiresAt === null ? null : new Date(holdExpiresAt).toISOString(),
    manageTokenHash: await sha256Hex(manageToken),
    notes: a.input.notes ?? null,
    source: a.source,
    now: ctx.now.toISOString(),
    eventId,
    payload,
    ...(a.idempotency && { idempotency: { scope: a.idempotency.scope, key: a.idempotency.key, body: stored } }),
  };
  // migrations/0007 insert_booking(): customer upsert, staff lock, booking, outbox row and stored response.
  const statement = sql`SELECT insert_booking(${JSON.stringify(row)}::jsonb)`;
  if (a.finish) await a.finish.finish(statement);
  else await tx.execute(statement);
  noteOutboxWritten(tx, [eventId]);
  return { status: 201, body: withToken(stored, manageToken) };
}
