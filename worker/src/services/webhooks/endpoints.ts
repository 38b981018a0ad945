// Webhook endpoint verbs: list (never the secret), create (secret shown once) and delete (soft, so the delivery
// log keeps its history).
import { and, asc, eq, isNull } from "drizzle-orm";
import { NotFound, ValidationFailed } from "../../errors.ts";
import { looksLikeId, newId } from "../../lib/ids.ts";
import { webhookEndpoints } from "../../outbox/tables.ts";
import type { ListQuery } from "../../schemas/staff.ts";
import type {
  WebhookEndpoint,
  WebhookEndpointCreate,
  WebhookEndpointCreated,
  WebhookEndpointList,
} from "../../schemas/webhooks.ts";
import { BOOKING_EVENTS } from "../bookings/outbox-rows.ts";
import type { TenantCtx } from "../context.ts";
import { assertWebhookEndpointRoom } from "../limits/limits.ts";
import { afterKeyset, cursorAt, decodeKeyset, pageOf } from "../staff/keyset.ts";
import { newWebhookSecret } from "./signature.ts";

export interface EndpointPolicy {
  /** Local stack only: plain http to 127.0.0.1 / localhost (the test receivers and the dev mailbox). */
  allowLoopbackHttp: boolean;
}

const listed = {
  id: webhookEndpoints.id,
  url: webhookEndpoints.url,
  eventTypes: webhookEndpoints.eventTypes,
  description: webhookEndpoints.description,
  createdAt: webhookEndpoints.createdAt,
  cursorAt: cursorAt(webhookEndpoints.createdAt),
};

function toEndpoint(row: {
  id: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  createdAt: Date;
}): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    eventTypes: row.eventTypes,
    description: row.description,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listWebhookEndpoints({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: ListQuery;
}): Promise<WebhookEndpointList> {
  const keyset = decodeKeyset(input.cursor);
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const rows = await tx
      .select(listed)
      .from(webhookEndpoints)
      .where(
        and(isNull(webhookEndpoints.deletedAt), afterKeyset(webhookEndpoints.createdAt, webhookEndpoints.id, keyset)),
      )
      .orderBy(asc(webhookEndpoints.createdAt), asc(webhookEndpoints.id))
      .limit(input.limit + 1);
    return pageOf(rows, input.limit, toEndpoint);
  });
}

export async function createWebhookEndpoint(args: {
  ctx: TenantCtx;
  input: WebhookEndpointCreate;
  policy: EndpointPolicy;
}): Promise<WebhookEndpointCreated> {
  const { ctx, input } = args;
  assertDeliverable(input.url, args.policy);
  const secret = newWebhookSecret();
  const [row] = await ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    await assertWebhookEndpointRoom(tx, ctx.tenantId);
    return tx
      .insert(webhookEndpoints)
      .values({
        id: newId("whe"),
        tenantId: ctx.tenantId,
        url: input.url,
        eventTypes: input.eventTypes ?? [...BOOKING_EVENTS],
        description: input.description ?? null,
        secret,
        createdAt: ctx.now,
      })
      .returning(listed);
  });
  return { ...toEndpoint(row!), secret };
}

export async function deleteWebhookEndpoint({ ctx, input }: { ctx: TenantCtx; input: { id: string } }): Promise<void> {
  if (!looksLikeId("whe", input.id)) throw new NotFound("Webhook endpoint");
  const deleted = await ctx.db.withTenantTx(ctx.tenantId, (tx) =>
    tx
      .update(webhookEndpoints)
      .set({ deletedAt: ctx.now })
      .where(and(eq(webhookEndpoints.id, input.id), isNull(webhookEndpoints.deletedAt)))
      .returning({ id: webhookEndpoints.id }),
  );
  if (deleted.length === 0) throw new NotFound("Webhook endpoint");
}

/** https anywhere; plain http only to the loopback host on a local stack. No credentials in URLs. */
function assertDeliverable(url: string, policy: EndpointPolicy): void {
  const parsed = new URL(url);
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(parsed.hostname);
  const ok =
    !parsed.username &&
    !parsed.password &&
    (parsed.protocol === "https:" || (parsed.protocol === "http:" && loopback && policy.allowLoopbackHttp));
  if (!ok)
    throw new ValidationFailed("The endpoint URL must use https", [
      {
        path: ["url"],
        message: policy.allowLoopbackHttp ? "https, or http to 127.0.0.1/localhost" : "https only, without credentials",
      },
    ]);
}
