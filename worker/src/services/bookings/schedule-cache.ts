// Scheduling configuration kept per isolate, so that a booking whose start the known schedule offers reaches the
// database once: book() (migrations/0009) checks the tenant's schedule_version and, if it still matches, claims the
// Idempotency-Key, expires lapsed holds and inserts in that one statement. An entry is never trusted on its own:
// when the version moved on, book() writes nothing and the booking takes the two-round-trip path, which reloads.
import { BOOKING_BOUNDS } from "../../domain/limits.ts";
import { type ScheduleConfig, type SchedulingWindow, schedulingWindow } from "./scheduling.ts";

const DAY = 86_400_000;
/** An entry covers every start bookable when it was loaded (the longest booking window), and margins. */
const COVER_DAYS = BOOKING_BOUNDS.scheduleCoverDays;
const MARGIN_DAYS = 3;
/** Entries per isolate; the oldest goes first. */
const LIMIT = 1_000;

interface Entry {
  config: ScheduleConfig;
  loadedAt: number;
}

const entries = new Map<string, Entry>();
/**
 * The tenant each public slug named when its schedule was loaded: lets a public booking skip the slug's own look-up.
 * Never trusted alone: that booking runs scoped by the slug itself, and book() answers "stale" (writes nothing) when
 * the slug's tenant is not the one whose schedule version it was given; the booking then resolves the slug afresh.
 */
const tenantOfSlug = new Map<string, string>();

/** How often the one-round-trip path could be tried, and how often the schedule had changed under it. */
export const scheduleCacheStats = { hits: 0, stale: 0 };

/** One entry per staff member and service, and one per service for "any staff" (all who perform it). */
const keyOf = (tenantId: string, serviceId: string, staffId: string | undefined) =>
  `${tenantId}|${serviceId}|${staffId ?? "*"}`;

/** The window to load an entry for: every start bookable from `now`, with the engine's date margins on both sides. */
export function coverWindow(now: number, serviceId: string, staffId: string | undefined): SchedulingWindow {
  return schedulingWindow(serviceId, staffId, now - MARGIN_DAYS * DAY, now + COVER_DAYS * DAY);
}

/** The configuration for a service and staff member (or "any"), if an entry covers `startsAt` (with margins). */
export function cachedSchedule(
  tenantId: string,
  serviceId: string,
  staffId: string | undefined,
  startsAt: number,
): ScheduleConfig | undefined {
  const entry = entries.get(keyOf(tenantId, serviceId, staffId));
  const covered =
    entry && startsAt >= entry.loadedAt && startsAt + MARGIN_DAYS * DAY <= entry.loadedAt + COVER_DAYS * DAY;
  if (covered) scheduleCacheStats.hits++;
  return covered ? entry.config : undefined;
}

export function rememberSchedule(
  tenantId: string,
  serviceId: string,
  staffId: string | undefined,
  config: ScheduleConfig,
  loadedAt: number,
): void {
  const key = keyOf(tenantId, serviceId, staffId);
  entries.delete(key);
  tenantOfSlug.delete(config.slug);
  if (tenantOfSlug.size >= LIMIT) tenantOfSlug.delete(tenantOfSlug.keys().next().value as string);
  tenantOfSlug.set(config.slug, tenantId);
  if (entries.size >= LIMIT) entries.delete(entries.keys().next().value as string);
  entries.set(key, { config, loadedAt });
}

/** The tenant a public slug named when a schedule of it was last loaded here, if any (see tenantOfSlug). */
export function knownTenantOfSlug(slug: string): string | undefined {
  return tenantOfSlug.get(slug);
}

/** The version moved on: the next booking reloads. */
export function forgetSchedule(tenantId: string, serviceId: string, staffId: string | undefined): void {
  scheduleCacheStats.stale++;
  entries.delete(keyOf(tenantId, serviceId, staffId));
}
