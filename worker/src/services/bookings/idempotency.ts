// Idempotency-Key handling inside the creating transaction: the key row is claimed first, so a concurrent duplicate
// waits on it and then replays the stored response; the same key with another body is a 422.
import { type SQL, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import { sha256Hex } from "../../lib/crypto.ts";

export interface IdempotencyRequest {
  key: string;
  scope: string;
  requestHash: string;
}

export async function idempotencyRequest(
  key: string | undefined,
  scope: string,
  body: unknown,
): Promise<IdempotencyRequest | undefined> {
  if (key === undefined) return undefined;
  return { key, scope, requestHash: await sha256Hex(`${scope}\n${JSON.stringify(body)}`) };
}

/** The claim itself: returns one row when this request now owns the key (inlined, so it can share a round trip). */
export function claimStatement(tenantId: string, req: IdempotencyRequest): SQL {
  return sql`
    INSERT INTO idempotency_keys (tenant_id, scope, key, request_hash, response_status, response_body)
    VALUES (${tenantId}, ${req.scope}, ${req.key}, ${req.requestHash}, 0, '{}'::jsonb)
    ON CONFLICT (tenant_id, scope, key) DO UPDATE
      SET request_hash = EXCLUDED.request_hash, response_status = 0, response_body = '{}'::jsonb, created_at = now()
      WHERE idempotency_keys.created_at < now() - interval '24 hours'
    RETURNING 1`;
}

/** Claims the key; returns the stored response when the key was already used with the same request. */
export async function claimIdempotencyKey(
  tx: Tx,
  tenantId: string,
  req: IdempotencyRequest,
): Promise<{ status: number; body: unknown } | null> {
  const claimed = await tx.execute(claimStatement(tenantId, req).inlineParams());
  return storedResponse(tx, tenantId, req, claimed.rows);
}

/**
 * After the claim statement: null when this request owns the key; otherwise the stored response of the first
 * request (a concurrent duplicate waited for it to commit), or 422 when the key came with another request.
 */
export async function storedResponse(
  tx: Tx,
  tenantId: string,
  req: IdempotencyRequest,
  claimedRows: unknown[],
): Promise<{ status: number; body: unknown } | null> {
  if (claimedRows.length > 0) return null;
  const existing = await tx.execute(sql`
    SELECT request_hash, response_status, response_body FROM idempotency_keys
    WHERE tenant_id = ${tenantId} AND scope = ${req.scope} AND key = ${req.key}`);
  const row = existing.rows[0] as { request_hash: string; response_status: number; response_body: unknown } | undefined;
  if (!row || row.request_hash !== req.requestHash)
    throw new AppError("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was already used with a different request");
  return { status: row.response_status, body: row.response_body };
}

/** SQL fragment that stores the response; joins the statement that creates the object (no extra round trip). */
export function storeIdempotentResponse(tenantId: string, req: IdempotencyRequest, status: number, body: unknown) {
  return sql`UPDATE idempotency_keys SET response_status = ${status}, response_body = ${JSON.stringify(body)}::jsonb
             WHERE tenant_id = ${tenantId} AND scope = ${req.scope} AND key = ${req.key}`;
}
