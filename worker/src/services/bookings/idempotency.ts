// Idempotency-Key handling inside the creating transaction: the key row is claimed first, so a concurrent duplicate
// waits on it and then replays the stored response; the same key with another body is a 422.
import { type SQL, sql } from "drizzle-orm";
import { inlined, type Tx } from "../../db/client.ts";
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

/** The first request's hash and stored response, as migrations/0009's claim_idempotency_key() returns them. */
export interface PriorRequest {
  requestHash: string;
  status: number;
  body: unknown;
}

/**
 * The claim itself (migrations/0009 claim_idempotency_key()): one row whose `prior` is null when this request now
 * owns the key, else the first request's. Inlined, so it can share a round trip.
 */
export function claimStatement(tenantId: string, req: IdempotencyRequest): SQL {
  return sql`SELECT claim_idempotency_key(${tenantId}, ${req.scope}, ${req.key}, ${req.requestHash}) AS prior`;
}

/** Claims the key; returns the stored response when the key was already used with the same request. */
export async function claimIdempotencyKey(
  tx: Tx,
  tenantId: string,
  req: IdempotencyRequest,
): Promise<{ status: number; body: unknown } | null> {
  const claimed = await tx.execute(inlined(claimStatement(tenantId, req)));
  return replayOf(req, priorOf(claimed.rows));
}

/** The claim statement's answer: the first request's, or null when this request now owns the key. */
export function priorOf(claimRows: unknown[] | undefined): PriorRequest | null {
  return (claimRows?.[0] as { prior: PriorRequest | null } | undefined)?.prior ?? null;
}

/**
 * After the claim: null when this request owns the key; otherwise the stored response of the first request (a
 * concurrent duplicate waited for it to commit), or 422 when the key came with another request.
 */
export function replayOf(
  req: IdempotencyRequest,
  prior: PriorRequest | null,
): { status: number; body: unknown } | null {
  if (prior === null) return null;
  if (prior.requestHash !== req.requestHash)
    throw new AppError("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was already used with a different request");
  return { status: prior.status, body: prior.body };
}

/** SQL fragment that stores the response; joins the statement that creates the object (no extra round trip). */
export function storeIdempotentResponse(tenantId: string, req: IdempotencyRequest, status: number, body: unknown) {
  return sql`UPDATE idempotency_keys SET response_status = ${status}, response_body = ${JSON.stringify(body)}::jsonb
             WHERE tenant_id = ${tenantId} AND scope = ${req.scope} AND key = ${req.key}`;
}
