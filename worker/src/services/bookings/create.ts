// createBooking: validates the start against the engine, lets the exclusion constraint decide races, and writes the
// customer, booking, outbox row and idempotent response in one statement of one transaction.
//
// Two paths decide exactly alike. When this isolate holds the schedule of the staff member and service (see
// schedule-cache.ts) and it offers the start, the booking is one round trip: book() checks that the schedule is still
// that version, then claims the key, expires lapsed holds in the way and inserts. Otherwise (or when the schedule
// changed, or for "any staff", which needs the day's bookings to be fair) it is two: the key claim and the schedule
// with its bookings ride with the BEGIN, the insert with the COMMIT. For "any staff" that insert is book_first_free():
// the offered staff, least booked that day first, tried in the database until the exclusion constraint lets one in.
// Inserts for one staff member queue on a transaction-scoped advisory lock first: two in-flight inserts with
// overlapping ranges would otherwise each wait for the other on the constraint and end in a deadlock.
import { type SQL, sql } from "drizzle-orm";
import { noteOutboxWritten, type Tx, type TxSession } from "../../db/client.ts";
import { blockedRange, isStartOffered } from "../../domain/availability.ts";
import { instantToZonedDate } from "../../domain/time.ts";
import { SlotUnavailable } from "../../errors.ts";
import { sha256Hex } from "../../lib/crypto.ts";
import { newId } from "../../lib/ids.ts";
import { manageTokenFor } from "../../lib/manage-token.ts";
import type { BookingCreated, BookingInput } from "../../schemas/booking.ts";
import type { TenantCtx } from "../context.ts";
import { iso, windowAround } from "./availability.ts";
import { claimStatement, type IdempotencyRequest, type PriorRequest, replayOf } from "./idempotency.ts";
import { expireHolds } from "./outbox-rows.ts";
import { depositFor } from "./pricing.ts";
import { cachedSchedule, coverWindow, forgetSchedule, rememberSchedule } from "./schedule-cache.ts";
import {
  busyRanges,
  isBlocking,
  lapsedHoldsIn,
  parseScheduleConfig,
  parseScheduling,
  type ScheduleConfig,
  type SchedulingData,
  scheduleConfigQuery,
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

export async function createBooking(args: CreateBookingArgs): Promise<{ status: number; body: BookingCreated }> {
  const staffId = args.input.staffId;
  const done = staffId ? await bookWithKnownSchedule(args, staffId) : undefined;
  return done ?? (await bookWithLoadedSchedule(args));
}

type BookResult = { stale: true } | { replay: PriorRequest } | { outboxIds: string[] };

/** The one-round-trip path; undefined when it cannot decide (no schedule here, start not offered by it, or stale). */
async function bookWithKnownSchedule(
  { ctx, input, source, idempotency }: CreateBookingArgs,
  staffId: string,
): Promise<{ status: number; body: BookingCreated } | undefined> {
  const startsAt = Date.parse(input.start);
  const now = ctx.now.getTime();
  const config = cachedSchedule(ctx.tenantId, input.serviceId, staffId, startsAt);
  // Other bookings are the exclusion constraint's to judge. A start these rules refuse goes the long way: the
  // schedule may have changed since in a way that now allows it, and only fresh data may say no.
  if (!config) return undefined;
  const rules = { tenantTimeZone: config.timezone, now, service: config.service, staff: config.staff, busy: [] };
  if (!isStartOffered(rules, staffId, startsAt)) return undefined;
  const booking = await prepareBooking(ctx, { input, source, idempotency, config, staffId, startsAt });
  const result = await ctx.db.withTenantTx(ctx.tenantId, async (tx, session) => {
    const statement = sql`SELECT book(${JSON.stringify({ ...booking.row, scheduleVersion: config.version })}::jsonb) AS result`;
    const [row] = await session.finish(statement);
    const outcome = (row as { result: BookResult }).result;
    if ("outboxIds" in outcome) noteOutboxWritten(tx, outcome.outboxIds);
    return outcome;
  });
  if ("stale" in result) {
    forgetSchedule(ctx.tenantId, input.serviceId, staffId);
    return undefined;
  }
  if ("replay" in result) return replayCreated(ctx, replayOf(idempotency!, result.replay)!);
  return booking.response;
}

/**
 * The two-round-trip path: loads the schedule with the bookings around the start. For a named staff member it also
 * (re)loads the isolate's entry, since it runs only when that entry was missing, stale or refused the start.
 */
async function bookWithLoadedSchedule({
  ctx,
  input,
  source,
  idempotency,
}: CreateBookingArgs): Promise<{ status: number; body: BookingCreated }> {
  return ctx.db.withTenantTx(ctx.tenantId, async (tx, session) => {
    const startsAt = Date.parse(input.start);
    const now = ctx.now.getTime();
    const staffId = input.staffId;
    const fill = staffId !== undefined;
    // One round trip with the BEGIN: the key claim, the schedule with its bookings, and the cache's configuration.
    const statements: SQL[] = [schedulingQuery(windowAround(startsAt, input.serviceId, staffId))];
    if (idempotency) statements.unshift(claimStatement(ctx.tenantId, idempotency));
    if (fill) statements.push(scheduleConfigQuery(coverWindow(now, input.serviceId, staffId)));
    const results = await session.batch(statements);
    const [claimed, loaded, forCache] = idempotency ? results : [undefined, ...results];
    const prior = (claimed?.[0] as { prior: PriorRequest | null } | undefined)?.prior ?? null;
    const replay = idempotency ? replayOf(idempotency, prior) : null;
    if (replay) return replayCreated(ctx, replay);
    const data = parseScheduling(loaded?.[0]);
    if (fill && forCache)
      rememberSchedule(ctx.tenantId, input.serviceId, staffId, parseScheduleConfig(forCache[0]), now);
    const query = {
      tenantTimeZone: data.timezone,
      now,
      service: data.service,
      staff: data.staff,
      busy: busyRanges(data.bookings, now),
    };
    const offered = data.staff.map((s) => s.staffId).filter((id) => isStartOffered(query, id, startsAt));
    if (offered.length === 0) throw new SlotUnavailable("That time is not offered or is already taken");
    const args = { input, source, idempotency, data, startsAt, finish: session };
    if (offered.length === 1) return insertBooking(tx, ctx, { ...args, staffId: offered[0]! });
    // "Any staff": the least booked first; the database takes the first the constraint lets in (0010).
    return insertFirstFree(tx, ctx, { ...args, candidates: fairOrder(offered, data, startsAt, now) });
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
  /** The insert travels with the COMMIT (one round trip); nothing may follow it. */
  finish: TxSession;
}

async function insertBooking(tx: Tx, ctx: TenantCtx, a: InsertArgs): Promise<{ status: number; body: BookingCreated }> {
  const booking = await prepareBooking(ctx, { ...a, config: a.data });
  const { blockedFrom, blockedUntil } = booking.row;
  const blocked = { startsAt: Date.parse(blockedFrom), endsAt: Date.parse(blockedUntil) };
  await expireHolds(tx, lapsedHoldsIn(a.data.bookings, a.staffId, blocked, ctx.now.getTime()), ctx.now);
  // migrations/0007 insert_booking(): customer upsert, staff lock, booking, outbox row and stored response.
  const statement = sql`SELECT insert_booking(${JSON.stringify(booking.row)}::jsonb)`;
  await a.finish.finish(statement);
  noteOutboxWritten(tx, [booking.row.eventId]);
  return booking.response;
}

/** One statement with the COMMIT: book_first_free() tries `candidates` in order, each attempt in a subtransaction. */
async function insertFirstFree(
  tx: Tx,
  ctx: TenantCtx,
  a: Omit<InsertArgs, "staffId"> & { candidates: string[] },
): Promise<{ status: number; body: BookingCreated }> {
  const booking = await prepareBooking(ctx, { ...a, config: a.data, staffId: a.candidates[0]! });
  const candidates = `{${a.candidates.join(",")}}`;
  const [row] = await a.finish.finish(
    sql`SELECT book_first_free(${JSON.stringify(booking.row)}::jsonb, ${candidates}::text[]) AS result`,
  );
  const { staffId, outboxIds } = (row as { result: { staffId: string; outboxIds: string[] } }).result;
  noteOutboxWritten(tx, outboxIds);
  const body = booking.response.body;
  return { ...booking.response, body: { ...body, booking: { ...body.booking, staffId } } };
}

interface PrepareArgs {
  input: BookingInput;
  source: "public" | "admin";
  idempotency: IdempotencyRequest | undefined;
  config: ScheduleConfig;
  staffId: string;
  startsAt: number;
}

/** The row insert_booking()/book() write (ids, amounts, hold, token hash, outbox payload) and the response it earns. */
async function prepareBooking(ctx: TenantCtx, a: PrepareArgs) {
  const { service } = a.config;
  const endsAt = a.startsAt + service.durationMinutes * 60_000;
  const blocked = blockedRange(a.startsAt, endsAt, service);
  const now = ctx.now.getTime();
  const id = newId("bkg");
  const deposit = depositFor(service);
  const status = deposit > 0 ? "pending_payment" : "confirmed";
  const holdMinutes = a.config.policies.holdMinutes ?? DEFAULT_HOLD_MINUTES;
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
    status === "pending_payment" ? { url: `${ctx.config.publicBaseUrl}/checkout/${a.config.slug}/${id}` } : undefined;
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
    ...(a.idempotency && {
      idempotency: {
        scope: a.idempotency.scope,
        key: a.idempotency.key,
        requestHash: a.idempotency.requestHash,
        body: stored,
      },
    }),
  };
  return { row, response: { status: 201, body: withToken(stored, manageToken) } };
}
