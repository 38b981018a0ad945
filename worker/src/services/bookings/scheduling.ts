// Loads everything the availability engine needs for one service and time window in a single query
// (service, performing staff, weekly hours, overrides, time off, bookings), inside the tenant's transaction.
// The configuration part (all but the bookings) can also be loaded on its own, with the tenant's schedule version,
// for the per-isolate cache that lets a booking run in one round trip (schedule-cache.ts).
import { type SQL, sql } from "drizzle-orm";
import { inlined, type Tx } from "../../db/client.ts";
import type { TenantPolicies } from "../../db/schema/index.ts";
import type { BusyRange, ServiceRules, StaffSchedule } from "../../domain/availability.ts";
import { NotFound } from "../../errors.ts";

export interface ServiceRow extends ServiceRules {
  id: string;
  name: string;
  priceAmount: number;
  currency: string;
  depositPercent: number | null;
  depositAmount: number | null;
}

export interface BookingRange {
  id: string;
  staffId: string;
  startsAt: number;
  blockedFrom: number;
  blockedUntil: number;
  status: string;
  holdExpiresAt: number | null;
}

/** What the engine checks a start against besides other bookings: it changes only with the tenant's schedule_version. */
export interface ScheduleConfig {
  timezone: string;
  slug: string;
  policies: TenantPolicies;
  /** The tenant's schedule_version this was read at (migrations/0009). */
  version: string;
  service: ServiceRow;
  staff: StaffSchedule[];
  /**
   * Whether the business's Stripe account can take charges (a connected account with charges enabled), read in the
   * same statement as the rest; undefined where it was not asked (availability). A change of it renews the version.
   */
  paymentsReady?: boolean;
}

export interface SchedulingData extends ScheduleConfig {
  /** Every booking in the window that the exclusion constraint still counts (expired holds included). */
  bookings: BookingRange[];
}

export interface SchedulingWindow {
  serviceId: string;
  staffId?: string | undefined;
  /** Instants bounding the bookings and time off to load (epoch ms). */
  from: number;
  to: number;
  /** Local dates bounding the overrides to load. */
  fromDate: string;
  toDate: string;
}

/** A window between two instants, its override dates the UTC days of those instants. */
export function schedulingWindow(
  serviceId: string,
  staffId: string | undefined,
  from: number,
  to: number,
): SchedulingWindow {
  const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { serviceId, staffId, from, to, fromDate: utcDay(from), toDate: utcDay(to) };
}

const pad = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

/** Loads in the running transaction; the statement is inlined so it can carry the transaction's BEGIN. */
export async function loadScheduling(tx: Tx, w: SchedulingWindow): Promise<SchedulingData> {
  const result = await tx.execute(inlined(schedulingQuery(w)));
  return parseScheduling(result.rows[0]);
}

const windowArgs = (w: SchedulingWindow) =>
  sql`${w.serviceId}, ${w.staffId ?? null}, ${new Date(w.from).toISOString()}::timestamptz,
    ${new Date(w.to).toISOString()}::timestamptz, ${w.fromDate}::date, ${w.toDate}::date`;

/** One call of scheduling_data() (migrations/0009): its plan is kept per pooled session. */
function schedulingQuery(w: SchedulingWindow): SQL {
  return sql`SELECT ${schedulingDataCall(w)} AS data`;
}

/** The scheduling_data() call alone, as an expression (the public read embeds it in its stamped statement). */
export function schedulingDataCall(w: SchedulingWindow): SQL {
  return sql`scheduling_data(${windowArgs(w)})`;
}

/**
 * The configuration alone, with its version (schedule_config(), migrations/0009), and whether the business can take
 * charges online: one statement, so both are read at once (changing the latter renews the version too).
 */
export function scheduleConfigQuery(w: SchedulingWindow): SQL {
  return sql`SELECT schedule_config(${windowArgs(w)}) AS config,
    (SELECT stripe_account_id IS NOT NULL AND stripe_charges_enabled FROM tenants WHERE id = app_tenant()) AS payments_ready`;
}

/** The bookings alone (window_bookings(), migrations/0009): what scheduling_data() adds to the configuration. */
export function windowBookingsQuery(w: SchedulingWindow): SQL {
  return sql`SELECT window_bookings(${w.serviceId}, ${w.staffId ?? null}, ${new Date(w.from).toISOString()}::timestamptz,
    ${new Date(w.to).toISOString()}::timestamptz) AS bookings`;
}

function parseScheduling(row: unknown): SchedulingData {
  return parseSchedulingData((row as { data: unknown }).data);
}

/** scheduling_data()'s json, as the database returned it (or as the edge cache kept it). */
export function parseSchedulingData(json: unknown): SchedulingData {
  const data = json as RawConfig & { bookings: RawBooking[] };
  return { ...parseScheduleConfig({ config: data }), bookings: parseBookings({ bookings: data.bookings }) };
}

export function parseBookings(row: unknown): BookingRange[] {
  return (row as { bookings: RawBooking[] }).bookings.map(
    ([id, staffId, startsAt, blockedFrom, blockedUntil, status, holdExpiresAt]) => ({
      id,
      staffId,
      startsAt: Number(startsAt),
      blockedFrom: Number(blockedFrom),
      blockedUntil: Number(blockedUntil),
      status,
      holdExpiresAt: holdExpiresAt === null ? null : Number(holdExpiresAt),
    }),
  );
}

export function parseScheduleConfig(row: unknown): ScheduleConfig {
  const { config: data, payments_ready: paymentsReady } = row as { config: RawConfig; payments_ready?: boolean | null };
  if (!data.tenant) throw new NotFound("Business");
  if (!data.service) throw new NotFound("Service");
  const schedules = new Map<string, StaffSchedule>(
    data.staff.map((id) => [id, { staffId: id, weekly: [], overrides: {}, timeOff: [] }]),
  );
  for (const [id, weekday, start, end] of data.weekly)
    schedules.get(id)?.weekly.push({ weekday, start: pad(start), end: pad(end) });
  for (const [id, date, intervals] of data.overrides) {
    const s = schedules.get(id);
    if (s) s.overrides[date] = intervals;
  }
  for (const [id, startsAt, endsAt] of data.timeOff)
    schedules.get(id)?.timeOff.push({ startsAt: Number(startsAt), endsAt: Number(endsAt) });
  return {
    timezone: data.tenant.timezone,
    slug: data.tenant.slug,
    policies: data.tenant.policies ?? {},
    version: data.tenant.version,
    service: {
      ...data.service,
      priceAmount: Number(data.service.priceAmount),
      depositAmount: data.service.depositAmount === null ? null : Number(data.service.depositAmount),
    },
    staff: [...schedules.values()],
    ...(paymentsReady !== undefined && { paymentsReady: paymentsReady === true }),
  };
}

interface RawConfig {
  tenant: { timezone: string; slug: string; policies: TenantPolicies; version: string } | null;
  service: (ServiceRow & { priceAmount: number | string; depositAmount: number | string | null }) | null;
  staff: string[];
  weekly: [string, number, number, number][];
  overrides: [string, string, { start: string; end: string }[]][];
  timeOff: [string, number | string, number | string][];
}

type RawBooking = [string, string, number | string, number | string, number | string, string, number | string | null];

/** Active bookings block time; a pending hold stops blocking the moment it expires (API.md). */
function isBlocking(b: BookingRange, now: number): boolean {
  return b.status !== "pending_payment" || (b.holdExpiresAt !== null && b.holdExpiresAt > now);
}

export function busyRanges(bookings: BookingRange[], now: number, exceptBookingId?: string): BusyRange[] {
  return bookings
    .filter((b) => b.id !== exceptBookingId && isBlocking(b, now))
    .map((b) => ({ staffId: b.staffId, startsAt: b.blockedFrom, endsAt: b.blockedUntil }));
}

/**
 * Lapsed holds of `staffId` that overlap `blocked`: they no longer block anyone, but the exclusion constraint still
 * counts them until they are marked expired (which the caller does in the same transaction).
 */
export function lapsedHoldsIn(
  bookings: BookingRange[],
  staffId: string,
  blocked: { startsAt: number; endsAt: number },
  now: number,
  exceptBookingId?: string,
): string[] {
  return bookings
    .filter(
      (b) =>
        b.id !== exceptBookingId &&
        b.staffId === staffId &&
        !isBlocking(b, now) &&
        b.blockedFrom < blocked.endsAt &&
        b.blockedUntil > blocked.startsAt,
    )
    .map((b) => b.id);
}
