// API key verbs: list (never the secret or its hash), issue (secret shown once) and revoke (never the last one).
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { apiKeys } from "../../db/schema/index.ts";
import { Conflict, NotFound } from "../../errors.ts";
import { sha256Hex } from "../../lib/crypto.ts";
import { looksLikeId } from "../../lib/ids.ts";
import type { ApiKey, ApiKeyCreate, ApiKeyCreated, ApiKeyList } from "../../schemas/api-key.ts";
import type { ListQuery } from "../../schemas/staff.ts";
import type { TenantCtx } from "../context.ts";
import { afterKeyset, cursorAt, decodeKeyset, pageOf } from "../staff/keyset.ts";
import { issueApiKey } from "../tenants/tenants.ts";

const listed = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
  cursorAt: cursorAt(apiKeys.createdAt),
};

function toApiKey(row: {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/**
 * The key and business an API key secret (`sk_…`) stands for, or null when it is unknown or revoked: matched by its
 * SHA-256 through the narrow SECURITY DEFINER look-up (the secret itself is never stored).
 */
export async function authenticateApiKey({
  db,
  secret,
}: {
  db: Database;
  secret: string;
}): Promise<{ keyId: string; tenantId: string } | null> {
  return db.apiKeyPrincipal(await sha256Hex(secret));
}

/** `last_used_at` moves at most once per this period per key. */
const LAST_USED_RESOLUTION_MS = 60_000;
/** Keys this isolate recorded recently (ms of the last write): most requests then skip the database entirely. */
const recentlyRecorded = new Map<string, number>();

/**
 * Records that a key was used: sets `last_used_at` unless it was set less than a minute ago (by any isolate: the
 * condition is in the UPDATE). Meant to run after the response (waitUntil), never on the request's path.
 */
export async function recordApiKeyUse(
  db: Database,
  principal: { keyId: string; tenantId: string },
  now: Date,
): Promise<void> {
  const last = recentlyRecorded.get(principal.keyId);
  if (last !== undefined && last <= now.getTime() && now.getTime() - last < LAST_USED_RESOLUTION_MS) return;
  if (recentlyRecorded.size >= 10_000) recentlyRecorded.clear();
  recentlyRecorded.set(principal.keyId, now.getTime());
  const at = now.toISOString();
  await db.withTenantTx(principal.tenantId, (tx) =>
    tx.execute(sql`UPDATE api_keys SET last_used_at = ${at}::timestamptz
                   WHERE id = ${principal.keyId}
                     AND (last_used_at IS NULL
                          OR last_used_at <= ${at}::timestamptz - make_interval(secs => ${LAST_USED_RESOLUTION_MS / 1000}))`),
  );
}

export async function listApiKeys({ ctx, input }: { ctx: TenantCtx; input: ListQuery }): Promise<ApiKeyList> {
  const keyset = decodeKeyset(input.cursor);
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const rows = await tx
      .select(listed)
      .from(apiKeys)
      .where(afterKeyset(apiKeys.createdAt, apiKeys.id, keyset))
      .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id))
      .limit(input.limit + 1);
    return pageOf(rows, input.limit, toApiKey);
  });
}

export async function createApiKey({ ctx, input }: { ctx: TenantCtx; input: ApiKeyCreate }): Promise<ApiKeyCreated> {
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const key = await issueApiKey(tx, ctx.tenantId, input.name);
    return {
      id: key.id,
      name: input.name,
      prefix: key.prefix,
      createdAt: key.createdAt.toISOString(),
      key: key.secret,
    };
  });
}

/** Revoking is idempotent; the tenant's last active key cannot be revoked (it would lock the owner out). */
export async function revokeApiKey({ ctx, input }: { ctx: TenantCtx; input: { id: string } }): Promise<void> {
  if (!looksLikeId("key", input.id)) throw new NotFound("API key");
  await ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    // Locking every active key serialises concurrent revocations, so two of them cannot both see "one left".
    const active = await tx.select({ id: apiKeys.id }).from(apiKeys).where(isNull(apiKeys.revokedAt)).for("update");
    if (!active.some((k) => k.id === input.id)) {
      const [revoked] = await tx.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.id, input.id));
      if (!revoked) throw new NotFound("API key");
      return;
    }
    if (active.length === 1) throw new Conflict("This is the last active API key; issue another before revoking it");
    await tx
      .update(apiKeys)
      .set({ revokedAt: ctx.now })
      .where(and(eq(apiKeys.id, input.id), isNull(apiKeys.revokedAt)));
  });
}
