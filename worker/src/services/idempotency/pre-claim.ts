// Strategy "pre-claim" (admin POSTs whose service opens its own transactions; column meanings in keys.ts): the key is
// claimed as the first statement of the service's first transaction, so the claim commits with the object or not at
// all (a failed create leaves no claim behind), and a duplicate arriving meanwhile waits on the claim's row, then sees
// it and is told to wait or gets the replay. The response is stored after the handler; a failure frees the key.
import { sql } from "drizzle-orm";
import { type Database, inlined, type Tx } from "../../db/client.ts";
import { Conflict } from "../../errors.ts";
import type { TenantCtx } from "../context.ts";
import {
  IdempotencyInProgress,
  type IdempotencyRequest,
  KEY_LIFETIME_HOURS,
  keyReused,
  requestHash,
  type StoredResponse,
} from "./keys.ts";

/** A claim not completed within this long was abandoned (a crashed or timed-out request): the next one takes it over. */
const ABANDONED_AFTER_SECONDS = 60;

/** A pre-claim route's request: one key per route (`METHOD /route/{pattern}`), hashed with its concrete path. */
export async function preClaimRequest(a: {
  method: string;
  route: string;
  path: string;
  key: string;
  bodyText: string;
}): Promise<IdempotencyRequest> {
  const method = a.method.toUpperCase();
  return {
    scope: `${method} ${a.route}`,
    key: a.key,
    requestHash: await requestHash(`${method} ${a.path}`, jsonOf(a.bodyText)),
  };
}

/** The body as JSON; an empty body as absent; anything else verbatim (the validator refuses it before any claim). */
function jsonOf(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Where a request's claim stands: taken when its transaction started, committed when that transaction did. */
export interface PreClaim {
  claimedAt?: string;
  committed: boolean;
}

/** The earlier request's stored response, found by the claim: unwinds the transaction, then is replayed. */
export class StoredReplay extends Conflict {
  constructor(readonly response: StoredResponse) {
    super("This Idempotency-Key was already used; its response is replayed");
  }
}

/**
 * The request's database, except that its first transaction starts by claiming the key (and throws StoredReplay when
 * the key was used already). Later transactions of the same request run as they are.
 */
export function claimingFirstTransaction(db: Database, input: IdempotencyRequest, claim: PreClaim): Database {
  let first = true;
  const wrapped = Object.create(db) as Database;
  wrapped.withTenantTx = (tenantId, fn) => {
    if (!first) return db.withTenantTx(tenantId, fn);
    first = false;
    return db
      .withTenantTx(tenantId, async (tx, session) => {
        const claimed = await claimKeyInTx(tx, tenantId, input);
        if (claimed.kind === "completed") throw new StoredReplay(claimed.response);
        claim.claimedAt = claimed.claimedAt;
        return fn(tx, session);
      })
      .then((result) => {
        claim.committed = true;
        return result;
      });
  };
  return wrapped;
}

type Claimed = { kind: "claimed"; claimedAt: string } | { kind: "completed"; response: StoredResponse };

/**
 * Claims the key inside the caller's transaction (a new row, or one older than 24 h, or an abandoned claim of the
 * same request), or reports what the earlier request did: completed → its response; another request → 422; still
 * running → 409.
 */
async function claimKeyInTx(tx: Tx, tenantId: string, input: IdempotencyRequest): Promise<Claimed> {
  // A claim released between our INSERT and SELECT (its request failed) is free again: claim once more.
  for (let attempt = 0; attempt < 3; attempt++) {
    const claim = await claimOnce(tx, tenantId, input);
    if (claim) return claim;
  }
  throw new IdempotencyInProgress();
}

async function claimOnce(tx: Tx, tenantId: string, req: IdempotencyRequest): Promise<Claimed | null> {
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
  const row = existing.rows[0] as { request_hash: string; response_status: number; response_body: unknown } | undefined;
  if (!row) return null;
  if (row.request_hash !== req.requestHash) throw keyReused();
  if (row.response_status === 0) throw new IdempotencyInProgress();
  return { kind: "completed", response: { status: row.response_status, body: row.response_body } };
}

type Held = { ctx: TenantCtx; input: IdempotencyRequest; claim: PreClaim };

/** The claim row is ours only if it still carries our claim time (an abandoned claim may have been taken over). */
const ours = (tenantId: string, input: IdempotencyRequest, claimedAt: string) =>
  sql`tenant_id = ${tenantId} AND scope = ${input.scope} AND key = ${input.key}
      AND created_at = ${claimedAt}::timestamptz AND response_status = 0`;

/** Stores the successful response for replays; nothing when the request committed no claim (it wrote nothing). */
export async function completeKey({ ctx, input, claim, response }: Held & { response: StoredResponse }): Promise<void> {
  const { claimedAt } = claim;
  if (!claim.committed || !claimedAt) return;
  await ctx.db.withTenantTx(ctx.tenantId, (tx) =>
    tx.execute(sql`UPDATE idempotency_keys SET response_status = ${response.status},
                     response_body = ${JSON.stringify(response.body)}::jsonb
                   WHERE ${ours(ctx.tenantId, input, claimedAt)}`),
  );
}

/** Frees the key after a failed request, so the client can fix the request or simply retry it. */
export async function releaseKey({ ctx, input, claim }: Held): Promise<void> {
  const { claimedAt } = claim;
  if (!claim.committed || !claimedAt) return; // an uncommitted claim went with its transaction
  await ctx.db.withTenantTx(ctx.tenantId, (tx) =>
    tx.execute(sql`DELETE FROM idempotency_keys WHERE ${ours(ctx.tenantId, input, claimedAt)}`),
  );
}
