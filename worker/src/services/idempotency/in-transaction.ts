// Strategy "in the creating transaction" (the booking path; column meanings in keys.ts): the key is claimed by the
// first statement of the transaction that creates the booking and the response is stored by its last, so a
// concurrent duplicate waits on the claim's row, then replays; the same key with another body is a 422.
import { type SQL, sql } from "drizzle-orm";
import { inlined, type Tx } from "../../db/client.ts";
import { type IdempotencyRequest, keyReused, type StoredResponse } from "./keys.ts";

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
): Promise<StoredResponse | null> {
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
export function replayOf(req: IdempotencyRequest, prior: PriorRequest | null): StoredResponse | null {
  if (prior === null) return null;
  if (prior.requestHash !== req.requestHash) throw keyReused();
  return { status: prior.status, body: prior.body };
}

/** SQL fragment that stores the response; joins the statement that creates the object (no extra round trip). */
export function storeIdempotentResponse(tenantId: string, req: IdempotencyRequest, status: number, body: unknown) {
  return sql`UPDATE idempotency_keys SET response_status = ${status}, response_body = ${JSON.stringify(body)}::jsonb
             WHERE tenant_id = ${tenantId} AND scope = ${req.scope} AND key = ${req.key}`;
}
