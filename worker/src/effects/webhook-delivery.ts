// Delivers one outbox event to the tenant's matching webhook endpoints, skipping those that already acknowledged it
// (a retry after a partial failure never re-delivers), and logs every attempt in webhook_deliveries. The URL is
// checked again before each POST (the rules may have tightened since the endpoint was created), redirects are not
// followed, and what the tenant sees of a failure is its class only, never the network's own words.
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Tx } from "../db/client.ts";
import { webhookDeliveries, webhookEndpoints } from "../db/schema/index.ts";
import { type DataKeys, decryptSecret, encryptSecret, needsReencryption } from "../lib/encryption.ts";
import { headerValue } from "../lib/header-value.ts";
import { checkOutboundUrl, hostNameOf, isPublicAddress, type OutboundUrlPolicy } from "../lib/public-url.ts";
import type { ResolveHost } from "../lib/resolve-host.ts";
import type { OutboxEvent } from "../outbox/types.ts";
import { signWebhook, webhookSecretContext } from "../services/webhooks/signature.ts";
import { WEBHOOK_TEST_EVENT } from "../services/webhooks/test-event.ts";
import { IncompleteEffect } from "./delivery-errors.ts";

export interface WebhookTransport {
  fetch: typeof fetch;
  timeoutMs: number;
  /** Which hosts may be called: production refuses every non-public address (see lib/public-url.ts). */
  urlPolicy: OutboundUrlPolicy;
  /** Looks a host name up before connecting (absent: names are not resolved, e.g. on a local stack). */
  resolveHost?: ResolveHost;
}

/** The only failure texts a tenant sees (delivery log, outbox lastError). */
const DELIVERY_ERRORS = {
  refused: "URL refused: not a public https endpoint",
  connection: "connection failed",
  timeout: "timed out",
} as const;

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
  keys?: DataKeys,
): Promise<void> {
  const pending = await pendingEndpoints(tx, event);
  const { attemptsSoFar } = pending;
  if (pending.endpoints.length === 0) return;
  const endpoints = await Promise.all(pending.endpoints.map((ep) => signingSecretOf(tx, ep, keys)));
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

/**
 * The endpoint with its signing secret decrypted. A secret stored before encryption (or under a key no longer first)
 * is rewritten under the current key, in this transaction, only if the row still holds what was read.
 */
async function signingSecretOf(tx: Tx, ep: Endpoint, keys: DataKeys | undefined): Promise<Endpoint> {
  const context = webhookSecretContext(ep.id);
  const secret = await decryptSecret(keys, ep.secret, context);
  if (needsReencryption(keys, ep.secret))
    await tx
      .update(webhookEndpoints)
      .set({ secret: await encryptSecret(keys, secret, context) })
      .where(and(eq(webhookEndpoints.id, ep.id), eq(webhookEndpoints.secret, ep.secret)));
  return { ...ep, secret };
}

async function pendingEndpoints(tx: Tx, event: OutboxEvent) {
  const endpoints = await tx
    .select({ id: webhookEndpoints.id, url: webhookEndpoints.url, secret: webhookEndpoints.secret })
    .from(webhookEndpoints)
    .where(
      and(
        isNull(webhookEndpoints.deletedAt),
        event.type === WEBHOOK_TEST_EVENT
          ? eq(webhookEndpoints.id, String(event.payload.endpointId ?? ""))
          : sql`${event.type} = ANY(${webhookEndpoints.eventTypes})`,
      ),
    );
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
  const checked = checkOutboundUrl(ep.url, transport.urlPolicy);
  if (!checked.ok) return done(null, DELIVERY_ERRORS.refused);
  const dnsRefusal = await refusedByDns(checked.url, transport.resolveHost);
  if (dnsRefusal) return done(null, dnsRefusal);
  try {
    const res = await transport.fetch(checked.url.href, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Bookra-Webhooks/1",
        "webhook-id": headerValue(id),
        "webhook-timestamp": String(timestamp),
        "webhook-signature": await signWebhook(ep.secret, id, timestamp, body),
      },
      body,
      // A redirect is a failed delivery (HTTP 3xx): following it could lead anywhere, a private host included.
      redirect: "manual",
      signal: AbortSignal.timeout(transport.timeoutMs),
    });
    await res.body?.cancel();
    const ok = res.status >= 200 && res.status < 300;
    return done(res.status, ok ? null : `HTTP ${Math.floor(res.status / 100)}xx`);
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    return done(null, timedOut ? DELIVERY_ERRORS.timeout : DELIVERY_ERRORS.connection);
  }
}

/** A name must resolve, and only to public addresses: one private record and the endpoint is refused. */
async function refusedByDns(url: URL, resolveHost: ResolveHost | undefined): Promise<string | null> {
  const name = hostNameOf(url);
  if (!name || !resolveHost) return null;
  let addresses: string[];
  try {
    addresses = await resolveHost(name);
  } catch {
    return DELIVERY_ERRORS.connection;
  }
  if (addresses.length === 0) return DELIVERY_ERRORS.connection;
  return addresses.every(isPublicAddress) ? null : DELIVERY_ERRORS.refused;
}
