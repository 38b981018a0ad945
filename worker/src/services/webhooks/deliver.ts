// Delivers one outbox event to the tenant's matching webhook endpoints, skipping those that already acknowledged it
// (a retry after a partial failure never re-delivers), and logs every attempt in webhook_deliveries.
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { headerValue } from "../../lib/header-value.ts";
import { IncompleteEffect } from "../../outbox/incomplete.ts";
import { webhookDeliveries, webhookEndpoints } from "../../outbox/tables.ts";
import type { OutboxEvent } from "../../outbox/types.ts";
import { signWebhook } from "./signature.ts";

export interface WebhookTransport {
  fetch: typeof fetch;
  timeoutMs: number;
}

interface Endpoint {
  id: string;
  url: string;
  secret: string;
}

interface Attempt {
  endpointId: string;
  succeeded: boolean;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
}

/** The Standard Webhooks payload: the event id is the outbox id, stable across retries (receivers dedupe on it). */
export function webhookBody(event: OutboxEvent): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    createdAt: event.createdAt.toISOString(),
    data: event.payload,
  });
}

export async function deliverWebhooks(
  tx: Tx,
  event: OutboxEvent,
  now: Date,
  transport: WebhookTransport,
): Promise<void> {
  const { endpoints, attemptsSoFar } = await pendingEndpoints(tx, event);
  if (endpoints.length === 0) return;
  const body = webhookBody(event);
  const timestamp = Math.floor(now.getTime() / 1000);
  const attempts = await Promise.all(endpoints.map((ep) => post(ep, event.id, timestamp, body, transport)));
  await tx.insert(webhookDeliveries).values(
    attempts.map((a) => ({
      ...a,
      tenantId: event.tenantId,
      outboxId: event.id,
      attempt: (attemptsSoFar.get(a.endpointId) ?? 0) + 1,
    })),
  );
  const failed = attempts.filter((a) => !a.succeeded);
  if (failed.length > 0)
    throw new IncompleteEffect(
      `${failed.length} of ${attempts.length} endpoints failed (${failed.map((f) => `${f.endpointId}: ${f.error}`).join(", ")})`,
    );
}

async function pendingEndpoints(tx: Tx, event: OutboxEvent) {
  const endpoints = await tx
    .select({ id: webhookEndpoints.id, url: webhookEndpoints.url, secret: webhookEndpoints.secret })
    .from(webhookEndpoints)
    .where(and(isNull(webhookEndpoints.deletedAt), sql`${event.type} = ANY(${webhookEndpoints.eventTypes})`));
  if (endpoints.length === 0) return { endpoints, attemptsSoFar: new Map<string, number>() };
  const history = await tx
    .select({
      endpointId: webhookDeliveries.endpointId,
      attempts: sql<number>`count(*)::int`,
      succeeded: sql<boolean>`bool_or(${webhookDeliveries.succeeded})`,
    })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.outboxId, event.id))
    .groupBy(webhookDeliveries.endpointId);
  const delivered = new Set(history.filter((h) => h.succeeded).map((h) => h.endpointId));
  return {
    endpoints: endpoints.filter((ep) => !delivered.has(ep.id)),
    attemptsSoFar: new Map(history.map((h) => [h.endpointId, h.attempts])),
  };
}

async function post(
  ep: Endpoint,
  id: string,
  timestamp: number,
  body: string,
  transport: WebhookTransport,
): Promise<Attempt> {
  const started = Date.now();
  const done = (statusCode: number | null, error: string | null): Attempt => ({
    endpointId: ep.id,
    succeeded: error === null,
    statusCode,
    durationMs: Math.max(0, Date.now() - started),
    error,
  });
  try {
    const res = await transport.fetch(ep.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Bookra-Webhooks/1",
        "webhook-id": headerValue(id),
        "webhook-timestamp": String(timestamp),
        "webhook-signature": await signWebhook(ep.secret, id, timestamp, body),
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(transport.timeoutMs),
    });
    await res.body?.cancel();
    return done(res.status, res.status >= 200 && res.status < 300 ? null : `HTTP ${res.status}`);
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    return done(
      null,
      timedOut ? `timed out after ${transport.timeoutMs} ms` : `request failed: ${String(err).slice(0, 200)}`,
    );
  }
}
