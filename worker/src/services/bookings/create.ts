// createBooking: validates the start against the engine, lets the exclusion constraint decide races, and writes the
// customer, booking, outbox row and idempotent response in one statement of one transaction.
//
// Two paths decide exactly alike. When this isolate holds the schedule of the service and staff member (or of all
// its staff, for "any staff"; see schedule-cache.ts) and it offers the start, the booking is one round trip: book()
// checks that the schedule is still that version, then claims the key, expires lapsed holds in the way and inserts,
// all in one non-interactive transaction sent over HTTP (Database.write).
// Otherwise (or when the schedule changed) it is two: the key claim and the schedule with its bookings ride with the
// BEGIN, the insert with the COMMIT. "Any staff" candidates are tried in the database (book_first_free()), least
// booked that local day first, until the exclusion constraint lets one in.
// Inserts queue on advisory locks for the hours of the staff member's calendar they touch (migrations/0009 lock_staff_time()):
// two in-flight inserts with overlapping ranges would otherwise each wait for the other on the constraint and end in
// a deadlock. The functions take a typed booking_input (migrations/0014), whose JSON only sql-input.ts builds.
import { type SQL, sql } from "drizzle-orm";
import { noteOutboxWritten, type TenantScope, type Tx, type TxSession } from "../../db/client.ts";
import { holdLimitsOf } from "../../domain/abuse-limits.ts";
import { blockedRange, isStartOffered } from "../../domain/availability.ts";
import { awaitsPayments, depositFor } from "../../domain/pricing.ts";
import { addDays, instantToZonedDate, zonedWallTimeToInstant } from "../../domain/time.ts";
import { PaymentsNotReady, SlotUnavailable } from "../../errors.ts";
import { keyedHashHex, sha256Hex } from "../../lib/crypto.ts";
import { newId } from "../../lib/ids.ts";
import { manageTokenFor, manageTokenMatching } from "../../lib/manage-token.ts";
import type { BookingCreated, BookingInput } from "../../schemas/booking.ts";
import type { TenantCtx } from "../context.ts";
import { claimStatement, type PriorRequest, priorOf, replayOf } from "../idempotency/in-transaction.ts";
import type { IdempotencyRequest } from "../idempotency/keys.ts";
import { iso, windowAround } from "./availability.ts";
import { cachedSchedule, coverWindow, forgetSchedule, knownTenantOfSlug, rememberSchedule } from "./schedule-cache.ts";
import {
  busyRanges,
  parseBookings,
  parseScheduleConfig,
  type ScheduleConfig,
  type SchedulingData,
  scheduleConfigQuery,
  windowBookingsQuery,
} from "./scheduling.ts";
import { bookingInputSql, type SqlBookingInput } from "./sql-input.ts";
import { toBooking } from "./view.ts";

const DEFAULT_HOLD_MINUTES = 15;

export interface CreateBookingArgs {
  ctx: TenantCtx;
  input: BookingInput;
  source: "public" | "admin";
  idempotency?: IdempotencyRequest | undefined;
  /** The caller's address (CF-Connecting-IP) of a public booking, when known: counted against the open-hold limit. */
  clientAddress?: string | undefined;
}

export async function createBooking(args: CreateBookingArgs): Promise<{ status: number; body: BookingCreated }> {
  return (await bookWithKnownSchedule(args)) ?? (await bookWithLoadedSchedule(args));
}

/**
 * A public booking by slug in one round trip, when this isolate knows the slug's tenant and its schedule: book() runs
 * scoped by the slug itself, so a slug that now names another business (or none) makes it answer "stale" and write
 * nothing. Undefined when it cannot decide: the caller resolves the slug and calls createBooking.
 */
export async function createPublicBookingBySlug(
  slug: string,
  args: Omit<CreateBookingArgs, "ctx"> & { ctx: Omit<TenantCtx, "tenantId"> },
): Promise<{ status: number; body: BookingCreated } | undefined> {
  const tenantId = knownTenantOfSlug(slug);
  if (!tenantId) return undefined;
  return bookWithKnownSchedule({ ...args, ctx: { ...args.ctx, tenantId } }, { slug });
}

type BookResult = { stale: true } | { replay: PriorRequest } | { staffId: string; outboxIds: string[] };

/** The one-round-trip path; undefined when it cannot decide (no schedule here, start not offered by it, or stale). */
async function bookWithKnownSchedule(
  { ctx, input, source, idempotency, clientAddress }: CreateBookingArgs,
  scope: TenantScope = { tenantId: ctx.tenantId },
): Promise<{ status: number; body: BookingCreated } | undefined> {
  const startsAt = Date.parse(input.start);
  const now = ctx.now.getTime();
  const config = cachedSchedule(ctx.tenantId, input.serviceId, input.staffId, startsAt);
  if (!config) return undefined;
  // Only fresh data may refuse: a business that cannot take payments per this entry goes the long way.
  if (source === "public" && awaitsPayments(config.service, config.paymentsReady === true)) return undefined;
  // Other bookings are the exclusion constraint's to judge. A start these rules refuse goes the long way: the
  // schedule may have changed since in a way that now allows it, and only fresh data may say no.
  const rules = { tenantTimeZone: config.timezone, now, service: config.service, staff: config.staff, busy: [] };
  const offered = config.staff.map((s) => s.staffId).filter((id) => isStartOffered(rules, id, startsAt));
  if (offered.length === 0) return undefined;
  const booking = await prepareBooking(ctx, {
    input,
    source,
    idempotency,
    clientAddress,
    config,
    staffId: offered[0]!,
    startsAt,
  });
  // For "any staff", the offered staff and the tenant-local day the database counts their bookings in.
  const day = input.staffId ? null : localDay(startsAt, config.timezone);
  const candidates = input.staffId ? null : textArray(offered);
  // Every statement is known before the first runs: one non-interactive transaction, one round trip (SQL over HTTP).
  const [rows] = await ctx.db.write(scope, [
    sql`SELECT book(${bookingInputSql(booking.row)}, ${config.version}::uuid,
      ${candidates}::text[], ${day?.dayFrom ?? null}::timestamptz, ${day?.dayUntil ?? null}::timestamptz) AS result`,
  ]);
  const result = (rows![0] as { result: BookResult }).result;
  if ("outboxIds" in result) ctx.db.noteCommittedOutbox(ctx.tenantId, result.outboxIds);
  if ("stale" in result) {
    forgetSchedule(ctx.tenantId, input.serviceId, input.staffId);
    return undefined;
  }
  if ("replay" in result) return replayCreated(ctx, replayOf(idempotency!, result.replay)!);
  return withStaff(booking.response, result.staffId);
}

/**
 * The two-round-trip path: loads the schedule and the bookings around the start. The schedule it loads is what the
 * isolate keeps, so the entry is refreshed too: this path runs only when it was missing, stale or refused the start.
 */
async function bookWithLoadedSchedule({
  ctx,
  input,
  source,
  idempotency,
  clientAddress,
}: CreateBookingArgs): Promise<{ status: number; body: BookingCreated }> {
  return ctx.db.withTenantTx(ctx.tenantId, async (tx, session) => {
    const startsAt = Date.parse(input.start);
    const now = ctx.now.getTime();
    const staffId = input.staffId;
    // One round trip with the BEGIN: the key claim, the configuration (for every start bookable from now on, which is
    // what the isolate keeps) and the bookings around the start.
    const statements: SQL[] = [
      scheduleConfigQuery(coverWindow(now, input.serviceId, staffId)),
      windowBookingsQuery(windowAround(startsAt, input.serviceId, staffId)),
    ];
    if (idempotency) statements.unshift(claimStatement(ctx.tenantId, idempotency));
    const results = await session.batch(statements);
    const [claimed, config, bookings] = idempotency ? results : [undefined, ...results];
    const replay = idempotency ? replayOf(idempotency, priorOf(claimed)) : null;
    if (replay) return replayCreated(ctx, replay);
    // A start outside the configuration's window is refused by the notice and advance rules whatever it holds.
    const schedule = parseScheduleConfig(config?.[0]);
    rememberSchedule(ctx.tenantId, input.serviceId, staffId, schedule, now);
    // A deposit the business cannot take yet: no online booking at all (its desk books and is paid at the venue).
    if (source === "public" && awaitsPayments(schedule.service, schedule.paymentsReady === true))
      throw new PaymentsNotReady();
    const data = { ...schedule, bookings: parseBookings(bookings?.[0]) };
    const query = {
      tenantTimeZone: data.timezone,
      now,
      service: data.service,
      staff: data.staff,
      busy: busyRanges(data.bookings, now),
    };
    const offered = data.staff.map((s) => s.staffId).filter((id) => isStartOffered(query, id, startsAt));
    if (offered.length === 0) throw new SlotUnavailable("That time is not offered or is already taken");
    // A named staff member is the only candidate; for "any staff" the database orders the free ones (least booked
    // that day first) and takes the first it can. Either way lapsed holds in the way are expired in that statement.
    return insertFirstFree(tx, ctx, {
      input,
      source,
      idempotency,
      clientAddress,
      data,
      startsAt,
      finish: session,
      candidates: offered,
    });
  });
}

/** A text[] literal of ids (prefixed base-32: nothing to quote). */
const textArray = (ids: string[]) => `{${ids.join(",")}}`;

/** The tenant-local calendar day of `startsAt`, as instants: the day the fair rule counts bookings in. */
function localDay(startsAt: number, timeZone: string): { dayFrom: string; dayUntil: string } {
  const date = instantToZonedDate(startsAt, timeZone);
  return {
    dayFrom: iso(zonedWallTimeToInstant(date, 0, timeZone)),
    dayUntil: iso(zonedWallTimeToInstant(addDays(date, 1), 0, timeZone)),
  };
}

/** The response for the staff member the database chose ("any staff"; for a named one it is the same). */
function withStaff(response: { status: number; body: BookingCreated }, staffId: string) {
  return { ...response, body: { ...response.body, booking: { ...response.body.booking, staffId } } };
}

async function replayCreated(ctx: TenantCtx, replay: { status: number; body: unknown }) {
  const body = replay.body as Omit<BookingCreated, "manageToken">;
  return {
    status: replay.status,
    body: withToken(body, await replayedToken(ctx, body.booking.id)),
  };
}

/** The token of a replayed booking; while a previous secret is set, the one (of either) its stored hash matches. */
async function replayedToken(ctx: TenantCtx, bookingId: string): Promise<string> {
  if (!ctx.config.previousManageTokenSecret) return manageTokenFor(ctx.config.manageTokenSecret, bookingId);
  const stored = await ctx.db.withTenantTx(ctx.tenantId, (tx) =>
    tx.execute(sql`SELECT manage_token_hash FROM bookings WHERE id = ${bookingId}`),
  );
  const hash = (stored.rows[0] as { manage_token_hash: string } | undefined)?.manage_token_hash ?? "";
  return manageTokenMatching(ctx.config, bookingId, hash);
}

/** The customer-facing response: the manage token, and the checkout link authorised by it. */
function withToken(stored: Omit<BookingCreated, "manageToken">, manageToken: string): BookingCreated {
  const checkout = stored.checkout && { url: `${stored.checkout.url}?token=${manageToken}` };
  return { ...stored, ...(checkout && { checkout }), manageToken };
}

interface InsertArgs {
  input: BookingInput;
  source: "public" | "admin";
  idempotency: IdempotencyRequest | undefined;
  clientAddress: string | undefined;
  data: SchedulingData;
  startsAt: number;
  /** The staff the engine offers the start with, in catalogue order (one when a staff member was named). */
  candidates: string[];
  /** The insert travels with the COMMIT (one round trip); nothing may follow it. */
  finish: TxSession;
}

/** One statement with the COMMIT: book_first_free() tries the candidates, least booked that day first (migrations/0009). */
async function insertFirstFree(
  tx: Tx,
  ctx: TenantCtx,
  a: InsertArgs,
): Promise<{ status: number; body: BookingCreated }> {
  const booking = await prepareBooking(ctx, { ...a, config: a.data, staffId: a.candidates[0]! });
  const { dayFrom, dayUntil } = localDay(a.startsAt, a.data.timezone);
  const [row] = await a.finish.finish(sql`SELECT book_first_free(${bookingInputSql(booking.row)},
    least_booked_first(${textArray(a.candidates)}::text[], ${dayFrom}::timestamptz, ${dayUntil}::timestamptz,
      ${booking.row.now}::timestamptz)) AS result`);
  const { staffId, outboxIds } = (row as { result: { staffId: string; outboxIds: string[] } }).result;
  noteOutboxWritten(tx, outboxIds);
  return withStaff(booking.response, staffId);
}

interface PrepareArgs {
  input: BookingInput;
  source: "public" | "admin";
  idempotency: IdempotencyRequest | undefined;
  clientAddress: string | undefined;
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
  const row: SqlBookingInput = {
    id,
    tenant_id: ctx.tenantId,
    customer_id: newId("cus"),
    name: c.name,
    email: c.email,
    phone: c.phone ?? null,
    service_id: service.id,
    staff_id: a.staffId,
    status,
    starts_at: iso(a.startsAt),
    ends_at: iso(endsAt),
    blocked_from: new Date(blocked.startsAt).toISOString(),
    blocked_until: new Date(blocked.endsAt).toISOString(),
    price_amount: service.priceAmount,
    deposit_amount: deposit,
    currency: service.currency,
    hold_expires_at: holdExpiresAt === null ? null : new Date(holdExpiresAt).toISOString(),
    manage_token_hash: await sha256Hex(manageToken),
    notes: a.input.notes ?? null,
    source: a.source,
    whatsapp_opt_in: c.whatsappOptIn === true,
    now: ctx.now.toISOString(),
    event_id: eventId,
    payload,
    // A public hold is counted against the tenant's open-hold limits in the inserting statement (migrations/0011).
    hold_limits:
      status === "pending_payment" && a.source === "public" ? holdLimits(ctx, a.config, a.clientAddress) : null,
    idempotency: a.idempotency
      ? {
          scope: a.idempotency.scope,
          key: a.idempotency.key,
          request_hash: a.idempotency.requestHash,
          body: stored,
        }
      : null,
  };
  return { row, response: { status: 201, body: withToken(stored, manageToken) } };
}

function holdLimits(ctx: TenantCtx, config: ScheduleConfig, clientAddress: string | undefined) {
  const limits = holdLimitsOf(config.policies);
  return {
    per_email: limits.perEmail,
    per_address: limits.perAddress,
    address_hash: clientAddress ? keyedHashHex(ctx.config.manageTokenSecret, `client-address/${clientAddress}`) : null,
  };
}
