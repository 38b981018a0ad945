// `Idempotency-Key` for admin POSTs whose service opens its own transaction (API.md conventions): the key is claimed by
// the first statement of the service's transaction (it commits with the object, or rolls back with it), a 2xx response
// is stored after the handler, and a failure after a committed claim frees the key again.
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { Conflict } from "../../errors.ts";
import type { TenantCtx } from "../../services/context.ts";
import {
  claimKeyInTx,
  completeKey,
  hashRequest,
  IdempotencyInProgress,
  type IdempotentRequest,
  releaseKey,
  type StoredResponse,
} from "../../services/idempotency/keys.ts";
import { adminCtx } from "../context.ts";
import { IdempotencyHeader } from "../public/idempotency-header.ts";
import type { AppEnv, Database } from "../types.ts";

/** For responses that carry a secret shown once: it is never stored, so a replay is refused instead. */
export interface SecretResponse {
  /** The response body without its secret: all that is stored. */
  redact(body: Record<string, unknown>): Record<string, unknown>;
  /** The 409 message of a replay, naming what the first request created (from the redacted body). */
  refusal(stored: Record<string, unknown>): string;
}

const KEY = IdempotencyHeader.shape["idempotency-key"];

/**
 * Route middleware: `createRoute({ ..., middleware: [idempotent()] })`, with `IdempotencyHeader` in the request.
 * @example createRoute({ method: "post", path: "/v1/admin/things", middleware: [idempotent()], request: { headers: IdempotencyHeader } })
 */
export function idempotent(options: { secret?: SecretResponse } = {}) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const key = KEY.safeParse(c.req.header("idempotency-key"));
    // No key: nothing to deduplicate. A malformed one: the header validator answers 400.
    if (!key.success || key.data === undefined) return next();
    const ctx = adminCtx(c);
    const input: IdempotentRequest = {
      scope: `${c.req.method} ${routePath(c)}`,
      key: key.data,
      requestHash: await hashRequest(c.req.method, c.req.path, await c.req.text()),
    };
    // The service's first transaction claims the key before anything else, so the claim commits with the object.
    const claim: { claimedAt?: string; committed: boolean } = { committed: false };
    const base = c.var.db;
    let claiming: Database | undefined;
    c.set("db", () => {
      claiming ??= claimingFirstTransaction(base(), input, claim);
      return claiming;
    });
    try {
      await next();
    } catch (err) {
      await release(c, ctx, input, claim);
      throw err;
    }
    if (c.error instanceof StoredReplay) {
      const { status, contentType, body } = c.error.response;
      c.error = undefined;
      if (options.secret) throw new Conflict(options.secret.refusal(parseObject(body)));
      c.res = c.body(body, status as ContentfulStatusCode, {
        "content-type": contentType,
        "idempotent-replayed": "true",
      });
      return;
    }
    if (c.error instanceof IdempotencyInProgress) c.res.headers.set("Retry-After", "1");
    if (c.res.status < 200 || c.res.status > 299) {
      await release(c, ctx, input, claim);
      return;
    }
    if (!claim.committed || !claim.claimedAt) return; // the route wrote nothing: nothing to replay
    const text = await c.res.clone().text();
    const body = options.secret ? JSON.stringify(options.secret.redact(parseObject(text))) : text;
    const contentType = c.res.headers.get("content-type") ?? "application/json";
    const held = { ctx, input: { ...input, claimedAt: claim.claimedAt } };
    // The object exists now: a failure to record that is logged, not turned into an error (the claim then expires).
    await quietly(c, "store", () => completeKey({ ...held, response: { status: c.res.status, contentType, body } }));
  });
}

/** The earlier request's stored response, found by the claim: unwinds the transaction, then is replayed. */
class StoredReplay extends Conflict {
  constructor(readonly response: StoredResponse) {
    super("This Idempotency-Key was already used; its response is replayed");
  }
}

/**
 * The request's database, except that its first transaction starts by claiming the key (and throws StoredReplay when
 * the key was used already). Later transactions of the same request run as they are.
 */
function claimingFirstTransaction(
  db: Database,
  input: IdempotentRequest,
  claim: { claimedAt?: string; committed: boolean },
): Database {
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

/** A claim that committed (its transaction succeeded, the request then failed) is freed; an uncommitted one is gone. */
async function release(
  c: Context<AppEnv>,
  ctx: TenantCtx,
  input: IdempotentRequest,
  claim: { claimedAt?: string; committed: boolean },
): Promise<void> {
  if (!claim.committed || !claim.claimedAt) return;
  const held = { ctx, input: { ...input, claimedAt: claim.claimedAt } };
  await quietly(c, "release", () => releaseKey(held));
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function quietly(c: Context<AppEnv>, step: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    const msg = `idempotency key ${step} failed`;
    console.error(JSON.stringify({ level: "error", msg, requestId: c.var.requestId, error: String(err) }));
  }
}
