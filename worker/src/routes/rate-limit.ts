// Rate limits on the unauthenticated writes (public bookings, signup, a booking's cancel and reschedule): 429
// RATE_LIMITED with Retry-After.
// Counting is the platform's (Workers Rate Limiting bindings); app code only picks the bucket and the key.
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { AppError } from "../errors.ts";
import type { AppEnv, RateLimitBucket } from "./types.ts";

const WINDOW_SECONDS = 60;

/** The caller's address as Cloudflare reports it (never a client-controlled header such as X-Forwarded-For). */
export function clientAddress(c: Context<AppEnv>): string {
  return c.req.header("cf-connecting-ip") ?? "unknown";
}

/** Counts one request against `bucket` for `key`: past the budget, 429 RATE_LIMITED with Retry-After. */
export async function enforceRateLimit(c: Context<AppEnv>, bucket: RateLimitBucket, key: string): Promise<void> {
  const limiter = c.var.deps.rateLimiter;
  if (limiter && !(await limiter.allow(bucket, key))) {
    c.header("Retry-After", String(WINDOW_SECONDS));
    throw new AppError("RATE_LIMITED", "Too many requests; please try again in a minute");
  }
}

export function rateLimit(bucket: RateLimitBucket, keyOf: (c: Context<AppEnv>) => string) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const limiter = c.var.deps.rateLimiter;
    if (limiter && c.req.method === "POST" && !(await limiter.allow(bucket, keyOf(c)))) {
      c.header("Retry-After", String(WINDOW_SECONDS));
      throw new AppError("RATE_LIMITED", "Too many requests; please try again in a minute");
    }
    await next();
  });
}
