// `Idempotency-Key` for admin POSTs whose service opens its own transaction (API.md conventions): the HTTP side of
// the pre-claim strategy (services/idempotency/pre-claim.ts). The service's first transaction claims the key, a 2xx
// JSON response is stored after the handler, a failure after a committed claim frees the key again.
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { Conflict } from "../../errors.ts";
import { IdempotencyInProgress } from "../../services/idempotency/keys.ts";
import {
  claimingFirstTransaction,
  completeKey,
  type PreClaim,
  preClaimRequest,
  releaseKey,
  StoredReplay,
} from "../../services/idempotency/pre-claim.ts";
import { adminCtx } from "../context.ts";
import { IdempotencyHeader } from "../public/idempotency-header.ts";
import type { AppEnv, Database } from "../types.ts";

/** For responses that carry a secret shown once: it is never stored, so a replay is refused instead. */
interface SecretResponse {
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
    const input = await preClaimRequest({
      method: c.req.method,
      route: routePath(c),
      path: c.req.path,
      key: key.data,
      bodyText: await c.req.text(),
    });
    // The service's first transaction claims the key before anything else, so the claim commits with the object.
    const claim: PreClaim = { committed: false };
    const held = { ctx, input, claim };
    const base = c.var.db;
    let claiming: Database | undefined;
    c.set("db", () => {
      claiming ??= claimingFirstTransaction(base(), input, claim);
      return claiming;
    });
    try {
      await next();
    } catch (err) {
      await quietly(c, "release", () => releaseKey(held));
      throw err;
    }
    if (c.error instanceof StoredReplay) {
      const { status, body } = c.error.response;
      c.error = undefined;
      if (options.secret) throw new Conflict(options.secret.refusal(asObject(body)));
      c.res = c.json(body, status as ContentfulStatusCode, { "idempotent-replayed": "true" });
      return;
    }
    if (c.error instanceof IdempotencyInProgress) c.res.headers.set("Retry-After", "1");
    const body = c.res.status >= 200 && c.res.status <= 299 ? jsonOf(await c.res.clone().text()) : undefined;
    // A failure, or an answer that is not JSON (every pre-claim route answers JSON): nothing to replay.
    if (body === undefined) {
      await quietly(c, "release", () => releaseKey(held));
      return;
    }
    const stored = options.secret ? options.secret.redact(asObject(body)) : body;
    // The object exists now: a failure to record that is logged, not turned into an error (the claim then expires).
    await quietly(c, "store", () => completeKey({ ...held, response: { status: c.res.status, body: stored } }));
  });
}

function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function asObject(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

async function quietly(c: Context<AppEnv>, step: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    const msg = `idempotency key ${step} failed`;
    console.error(JSON.stringify({ level: "error", msg, requestId: c.var.requestId, error: String(err) }));
  }
}
