// Webhook endpoint verbs: list (never the secret), create (secret shown once) and delete (soft, so the delivery
// log keeps its history).
import { and, asc, eq, isNull } from "drizzle-orm";
import { webhookEndpoints } from "../../db/schema/index.ts";
import { AppError, NotFound, ValidationFailed } from "../../errors.ts";
import { encryptSecret } from "../../lib/encryption.ts";
import { looksLikeId, newId } from "../../lib/ids.ts";
import { checkOutboundUrl, type OutboundUrlPolicy, PRODUCTION_URL_POLICY } from "../../lib/public-url.ts";
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
import { newWebhookSecret, webhookSecretContext } from "./signature.ts";

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

/** Refuses a URL the worker may not deliver to under the configured policy (loopback only on the local stack). */
export async function createWebhookEndpoint({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: WebhookEndpointCreate;
}): Promise<WebhookEndpointCreated> {
  assertDeliverable(input.url, ctx.config.outboundUrlPolicy ?? PRODUCTION_URL_POLICY);
  const secret = newWebhookSecret();
  const id = newId("whe");
  // Stored encrypted (never in plaintext; without a key the create is refused); the caller sees it once, here.
  const storedSecret = await encryptSecret(ctx.config.dataKeys, secret, webhookSecretContext(id));
  const [row] = await ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    await assertWebhookEndpointRoom(tx, ctx.tenantId);
    return tx
      .insert(webhookEndpoints)
      .values({
        id,
        tenantId: ctx.tenantId,
        url: input.url,
        eventTypes: input.eventTypes ?? [...BOOKING_EVENTS],
        description: input.description ?? null,
        secret: storedSecret,
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

/** A public host on the default https port (loopback too on a local stack); delivery checks again before each POST. */
function assertDeliverable(raw: string, policy: OutboundUrlPolicy): void {
  const checked = checkOutboundUrl(raw, policy);
  if (checked.ok) return;
  if (checked.refusal === "NOT_PUBLIC" || checked.refusal === "PORT")
    throw new AppError("URL_NOT_PUBLIC", `Webhooks go to public https endpoints only: ${checked.message}`, [
      { path: ["url"], message: checked.message },
    ]);
  throw new ValidationFailed("The endpoint URL must use https", [{ path: ["url"], message: checked.message }]);
}
