// Private per-staff ICS feeds: a random token (only its SHA-256 stored) in the URL; issuing a new one revokes the old.
import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { bookings, customers, services, staff, staffCalendarFeeds, tenants } from "../db/schema/index.ts";
import { bookingUid, buildIcs } from "../domain/ics.ts";
import { NotFound } from "../errors.ts";
import { sha256Hex } from "../lib/crypto.ts";
import { looksLikeId, randomString } from "../lib/ids.ts";
import type { CalendarFeed } from "../schemas/effects.ts";
import type { TenantCtx } from "../services/context.ts";

const FEED_TOKEN = /^fd_[0-9a-z]{40}$/;
const FEED_LIMIT = 1000;

export async function issueCalendarFeed({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { staffId: string };
}): Promise<CalendarFeed> {
  if (!looksLikeId("stf", input.staffId)) throw new NotFound("Staff member");
  const token = `fd_${randomString(40)}`;
  const tokenHash = await sha256Hex(token);
  await ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const [member] = await tx
      .select({ id: staff.id })
      .from(staff)
      .where(and(eq(staff.id, input.staffId), isNull(staff.deletedAt)))
      .for("share");
    if (!member) throw new NotFound("Staff member");
    await tx
      .insert(staffCalendarFeeds)
      .values({ tenantId: ctx.tenantId, staffId: input.staffId, tokenHash, issuedAt: ctx.now })
      .onConflictDoUpdate({ target: staffCalendarFeeds.staffId, set: { tokenHash, issuedAt: ctx.now } });
  });
  return {
    staffId: input.staffId,
    url: `${ctx.config.publicBaseUrl}/feeds/staff/${input.staffId}/${token}.ics`,
    issuedAt: ctx.now.toISOString(),
  };
}

/** The staff member's upcoming active bookings as an iCalendar feed; any mismatch is a 404. */
export async function staffFeed(a: { db: Database; staffId: string; token: string; now: Date }): Promise<string> {
  if (!looksLikeId("stf", a.staffId) || !FEED_TOKEN.test(a.token)) throw new NotFound("Feed");
  const r = await a.db.pool.query<{ id: string | null }>("SELECT staff_feed_tenant($1, $2) AS id", [
    a.staffId,
    await sha256Hex(a.token),
  ]);
  const tenantId = r.rows[0]?.id;
  if (!tenantId) throw new NotFound("Feed");
  return a.db.withTenantTx(tenantId, async (tx) => {
    const [member] = await tx
      .select({ name: staff.name, tenantName: tenants.name })
      .from(staff)
      .innerJoin(tenants, eq(tenants.id, staff.tenantId))
      .where(eq(staff.id, a.staffId));
    if (!member) throw new NotFound("Feed");
    const rows = await tx
      .select({
        id: bookings.id,
        status: bookings.status,
        startsAt: bookings.startsAt,
        endsAt: bookings.endsAt,
        updatedAt: bookings.updatedAt,
        service: services.name,
        customer: customers.name,
        changes: sql<number>`(SELECT count(*)::int FROM outbox o WHERE o.aggregate_id = ${bookings.id}
          AND o.event_type IN ('booking.rescheduled', 'booking.cancelled', 'booking.expired'))`,
      })
      .from(bookings)
      .innerJoin(services, eq(services.id, bookings.serviceId))
      .innerJoin(customers, eq(customers.id, bookings.customerId))
      .where(
        and(
          eq(bookings.staffId, a.staffId),
          gt(bookings.endsAt, a.now),
          or(
            eq(bookings.status, "confirmed"),
            and(eq(bookings.status, "pending_payment"), gt(bookings.holdExpiresAt, a.now)),
          ),
        ),
      )
      .orderBy(bookings.startsAt)
      .limit(FEED_LIMIT);
    return buildIcs({
      method: "PUBLISH",
      stampedAt: a.now,
      name: `${member.name} · ${member.tenantName}`,
      events: rows.map((b) => ({
        uid: bookingUid(b.id),
        sequence: b.changes,
        startsAt: b.startsAt,
        endsAt: b.endsAt,
        summary: `${b.service}: ${b.customer}`,
        description: b.status === "pending_payment" ? `Awaiting payment. Booking ${b.id}` : `Booking ${b.id}`,
        status: b.status === "confirmed" ? "CONFIRMED" : "TENTATIVE",
      })),
    });
  });
}
