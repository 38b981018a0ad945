// `Idempotency-Key` for admin POSTs whose service opens its own transaction (API.md conventions): the key is claimed
// before validation and the handler, a 2xx response is stored after them, and any other outcome frees the key again.
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../../app.ts";
import { Conflict } from "../../errors.ts";
import {
  claimKey,
  completeKey,
  hashRequest,
  IdempotencyInProgress,
  type IdempotentRequest,
  releaseKey,
} from "../../services/idempotency/keys.ts";
import { adminCtx } from "../context.ts";
import { IdempotencyHeader } from "../public/idempotency-header.ts";

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
    const claim = await claimKey({ ctx, input }).catch((err) => {
      if (err instanceof IdempotencyInProgress) c.header("Retry-After", "1");
      throw err;
    });
    if (claim.kind === "completed") {
      const { status, contentType, body } = claim.response;
      if (options.secret) throw new Conflict(options.secret.refusal(parseObject(body)));
      c.header("Idempotent-Replayed", "true");
      return c.body(body, status as ContentfulStatusCode, { "content-type": contentType });
    }
    const held = { ctx, input: { ...input, claimedAt: claim.claimedAt } };
    try {
      await next();
    } catch (err) {
      await quietly(c, "release", () => releaseKey(held));
      throw err;
    }
    if (c.res.status < 200 || c.res.status > 299) {
      await quietly(c, "release", () => releaseKey(held));
      return;
    }
    const text = await c.res.clone().text();
    const body = options.secret ? JSON.stringify(options.secret.redact(parseObject(text))) : text;
    const contentType = c.res.headers.get("content-type") ?? "application/json";
    // The object exists now: a failure to record that is logged, not turned into an error (the claim then expires).
    await quietly(c, "store", () => completeKey({ ...held, response: { status: c.res.status, contentType, body } }));
  });
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
