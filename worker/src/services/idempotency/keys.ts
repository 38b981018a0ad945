// Idempotency keys for routes whose service opens its own transaction: the key is claimed as the first statement of
// that transaction, so the claim commits with the object or not at all (a failed create leaves no claim behind), and a
// duplicate arriving meanwhile waits on the claim's row, then sees it and is told to wait or gets the replay.
import { sql } from "drizzle-orm";
import { inlined, type Tx } from "../../db/client.ts";
import { AppError, Conflict } from "../../errors.ts";
import { sha256Hex } from "../../lib/crypto.ts";
import type { TenantCtx } from "../context.ts";

/** A claim not completed within this long was abandoned (a crashed or timed-out request): the next one takes it over. */
const ABANDONED_AFTER_SECONDS = 60;
/** API.md: a key replays for 24 h; after that it is a new request. */
const KEY_LIFETIME_HOURS = 24;

export interface IdempotentRequest {
  /** `METHOD /route/{pattern}`: the same key may be used once per route. */
  scope: string;
  key: string;
  /** SHA-256 of the method, the concrete path and the canonical JSON body. */
  requestHash: string;
}

/** What a completed request left behind: replayed as is, unless the route keeps its response secret. */
export interface StoredResponse {
  status: number;
  contentType: string;
  body: string;
}

export type Claim = { kind: "claimed"; claimedAt: string } | { kind: "completed"; response: StoredResponse };

export class IdempotencyInProgress extends Conflict {
  constructor() {
    super("A request with this Idempotency-Key is in progress; retry it in a moment");
  }
}

/** Hashes what makes two requests "the same": method, concrete path (ids included) and body, whatever its layout. */
export async function hashRequest(method: string, path: string, bodyText: string): Promise<string> {
  return sha256Hex(`${method.toUpperCase()} ${path}\n${canonicalJson(bodyText)}`);
}

function canonicalJson(text: string): string {
  if (text.trim() === "") return "";
  try {
    return JSON.stringify(JSON.parse(text), (_, v) =>
      v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : v,
    );
  } catch {
    return text; // not JSON: the validator will refuse it; hash it verbatim
  }
}

/**
 * Claims the key inside the caller's (creating) transaction (a new row, or one older than 24 h, or an abandoned claim
 * of the same request), or reports what the earlier request did: completed → its response; another request → 422;
 * still running → 409.
 */
export async function claimKeyInTx(tx: Tx, tenantId: string, input: IdempotentRequest): Promise<Claim> {
  // A claim released between our INSERT and SELECT (its request failed) is free again: claim once more.
  for (let attempt = 0; attempt < 3; attempt++) {
    const claim = await claimOnce(tx, tenantId, input);
    if (claim) return claim;
  }
  throw new IdempotencyInProgress();
}

async function claimOnce(tx: Tx, tenantId: string, req: IdempotentRequest): Promise<Claim | null> {
  const inserted = await tx.execute(
    inlined(sql`
    INSERT INTO idempotency_keys (tenant_id, scope, key, request_hash, response_status, response_body)
    VALUES (${tenantId}, ${req.scope}, ${req.key}, ${req.requestHash}, 0, '{}'::jsonb)
    ON CONFLICT (tenant_id, scope, key) DO UPDATE
      SET request_hash = EXCLUDED.request_hash, response_status = 0, response_body = '{}'::jsonb, created_at = now()
      WHERE idempotency_keys.created_at < now() - make_interval(hours => ${KEY_LIFETIME_HOURS})
         OR (idempotency_keys.response_status = 0 AND idempotency_keys.request_hash = EXCLUDED.request_hash
             AND idempotency_keys.created_at < now() - make_interval(secs => ${ABANDONED_AFTER_SECONDS}))
    RETURNING created_at::text AS claimed_at`),
  );
  const claimedAt = (inserted.rows[0] as { claimed_at: string } | undefined)?.claimed_at;
  if (claimedAt) return { kind: "claimed", claimedAt };
  const existing = await tx.execute(sql`
    SELECT request_hash, response_status, response_body FROM idempotency_keys
    WHERE tenant_id = ${tenantId} AND scope = ${req.scope} AND key = ${req.key}`);
  const row = existing.rows[0] as
    | { request_hash: string; response_status: number; response_body: Partial<StoredResponse> }
    | undefined;
  if (!row) return null;
  if (row.request_hash !== req.requestHash)
    throw new AppError("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was already used with a different request");
  if (row.response_status === 0) throw new IdempotencyInProgress();
  const { contentType = "application/json", body = "" } = row.response_body;
  return { kind: "completed", response: { status: row.response_status, contentType, body } };
}

type ClaimRef = { ctx: TenantCtx; input: IdempotentRequest & { claimedAt: string } };

/** The claim row is ours only if it still carries our claim time (an abandoned claim may have been taken over). */
const ours = (tenantId: string, c: ClaimRef["input"]) =>
  sql`tenant_id = ${tenantId} AND scope = ${c.scope} AND key = ${c.key}
      AND created_at = ${c.claimedAt}::timestamptz AND response_status = 0`;

/** Stores the successful response for replays. */
export async function completeKey({ ctx, input, response }: ClaimRef & { response: StoredResponse }): Promise<void> {
  const stored = { contentType: response.contentType, body: response.body };
  await ctx.db.withTenantTx(ctx.tenantId, (tx) =>
    tx.execute(sql`UPDATE idempotency_keys SET response_status = ${response.status},
                     response_body = ${JSON.stringify(stored)}::jsonb
                   WHERE ${ours(ctx.tenantId, input)}`),
  );
}

/** Frees the key after a failed request, so the client can fix the request or simply retry it. */
export async function releaseKey({ ctx, input }: ClaimRef): Promise<void> {
  await ctx.db.withTenantTx(ctx.tenantId, (tx) =>
    tx.execute(sql`DELETE FROM idempotency_keys WHERE ${ours(ctx.tenantId, input)}`),
  );
}
