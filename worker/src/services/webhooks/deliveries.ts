// The developers page's view of one webhook endpoint: its delivery log (newest first) and a test event sent
// through the outbox like any other, so it exercises the same relay, signature and retries.
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { noteOutboxWritten, type Tx } from "../../db/client.ts";
import { outbox, webhookDeliveries, webhookEndpoints } from "../../db/schema/index.ts";
import { Conflict, NotFound } from "../../errors.ts";
import { looksLikeId, newId } from "../../lib/ids.ts";
import {
  WEBHOOK_TEST_EVENTS_PENDING_MAX,
  type WebhookDeliveryList,
  type WebhookDeliveryListQuery,
  type WebhookTestEvent,
} from "../../schemas/webhook-deliveries.ts";
import type { TenantCtx } from "../context.ts";
import { decodeCursor, encodeCursor } from "../staff/keyset.ts";
import { WEBHOOK_TEST_EVENT } from "./test-event.ts";

async function liveEndpoint(tx: Tx, id: string): Promise<void> {
  const [row] = await tx
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), isNull(webhookEndpoints.deletedAt)));
  if (!row) throw new NotFound("Webhook endpoint");
}

/** Delivery rows are numbered in insertion order: the cursor is the last id seen. */
function decodeDeliveryCursor(cursor: string | undefined): number | null {
  if (cursor === undefined) return null;
  return decodeCursor(cursor, (v) =>
    Number.isSafeInteger(v.before) && (v.before as number) > 0 ? (v.before as number) : null,
  );
}

export async function listWebhookDeliveries({
  ctx,
  endpointId,
  input,
}: {
  ctx: TenantCtx;
  endpointId: string;
  input: WebhookDeliveryListQuery;
}): Promise<WebhookDeliveryList> {
  if (!looksLikeId("whe", endpointId)) throw new NotFound("Webhook endpoint");
  const before = decodeDeliveryCursor(input.cursor);
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    await liveEndpoint(tx, endpointId);
    const rows = await tx
      .select({ d: webhookDeliveries, eventType: outbox.eventType })
      .from(webhookDeliveries)
      .innerJoin(outbox, eq(outbox.id, webhookDeliveries.outboxId))
      .where(
        and(
          eq(webhookDeliveries.endpointId, endpointId),
          before === null ? undefined : sql`${webhookDeliveries.id} < ${before}`,
        ),
      )
      .orderBy(desc(webhookDeliveries.id))
      .limit(input.limit + 1);
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    return {
      data: page.map(({ d, eventType }) => ({
        id: String(d.id),
        eventId: d.outboxId,
        eventType,
        attempt: d.attempt,
        succeeded: d.succeeded,
        responseStatus: d.statusCode,
        durationMs: d.durationMs,
        error: d.error,
        createdAt: d.createdAt.toISOString(),
      })),
      nextCursor: rows.length > input.limit && last ? encodeCursor({ before: last.d.id }) : null,
    };
  });
}

export async function sendWebhookTestEvent({
  ctx,
  endpointId,
}: {
  ctx: TenantCtx;
  endpointId: string;
}): Promise<WebhookTestEvent> {
  if (!looksLikeId("whe", endpointId)) throw new NotFound("Webhook endpoint");
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    await liveEndpoint(tx, endpointId);
    const [waiting] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(outbox)
      .where(
        and(
          eq(outbox.eventType, WEBHOOK_TEST_EVENT),
          eq(outbox.aggregateId, endpointId),
          inArray(outbox.status, ["pending", "failed"]),
        ),
      );
    if ((waiting?.n ?? 0) >= WEBHOOK_TEST_EVENTS_PENDING_MAX)
      throw new Conflict(
        `${WEBHOOK_TEST_EVENTS_PENDING_MAX} test events of this endpoint are still waiting for delivery; see its delivery log`,
      );
    const eventId = newId("evt");
    await tx.insert(outbox).values({
      id: eventId,
      tenantId: ctx.tenantId,
      eventType: WEBHOOK_TEST_EVENT,
      aggregateId: endpointId,
      payload: { endpointId, message: "A test event from Bookra" },
    });
    noteOutboxWritten(tx, [eventId]);
    return { eventId, type: WEBHOOK_TEST_EVENT, endpointId };
  });
}
