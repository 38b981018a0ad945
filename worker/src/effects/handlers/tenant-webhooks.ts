// Handler `tenant-webhooks`: POSTs every booking event to the tenant's subscribed endpoints, signed per Standard
// Webhooks; an endpoint that fails is retried later without re-delivering to those that succeeded.
import { PRODUCTION_URL_POLICY } from "../../lib/public-url.ts";
import { dnsOverHttps } from "../../lib/resolve-host.ts";
import type { EffectHandler } from "../../outbox/types.ts";
import { BOOKING_EVENTS } from "../../services/bookings/outbox-rows.ts";
import { WEBHOOK_TEST_EVENT } from "../../services/webhooks/test-event.ts";
import { deliverWebhooks, type WebhookTransport } from "../webhook-delivery.ts";

export const TENANT_WEBHOOKS_HANDLER = "tenant-webhooks";
const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

export function createTenantWebhooksHandler(transport: Partial<WebhookTransport> = {}): EffectHandler<unknown> {
  // Workers' fetch must be called unbound from the global, not as a method of another object.
  const fetchFn: typeof fetch = transport.fetch ?? ((input, init) => fetch(input, init));
  const urlPolicy = transport.urlPolicy ?? PRODUCTION_URL_POLICY;
  const resolved: WebhookTransport = {
    fetch: fetchFn,
    timeoutMs: transport.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS,
    urlPolicy,
    // Production resolves names first (a public name may point at a private address); a local stack does not.
    resolveHost:
      "resolveHost" in transport
        ? transport.resolveHost
        : (urlPolicy.resolveDns ?? !urlPolicy.allowLoopback)
          ? dnsOverHttps(fetchFn)
          : undefined,
  };
  return {
    name: TENANT_WEBHOOKS_HANDLER,
    events: [...BOOKING_EVENTS, WEBHOOK_TEST_EVENT],
    // No live endpoint subscribed to this event type: deliverWebhooks would find none and do nothing. A test event
    // names its endpoint instead.
    idle: (event, shared) => event.type !== WEBHOOK_TEST_EVENT && !shared.webhooksSubscribed,
    run: ({ tx, event, now, config }) => deliverWebhooks(tx, event, now, resolved, config.dataKeys),
  };
}
