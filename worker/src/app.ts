// Builds the Hono app from its dependencies: request ids, the error model, auth, and every route group.
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { requestId as assignRequestId } from "hono/request-id";
import { AppError, STATUS_BY_CODE, ValidationFailed } from "./errors.ts";
import { randomString } from "./lib/ids.ts";
import { instrumentDatabase, RequestTimings } from "./lib/server-timing.ts";
import { type QueueSender, relayCommitted } from "./outbox/relay.ts";
import { documentAdminAuth } from "./routes/admin/auth.ts";
import { registerAdminRoutes } from "./routes/admin/index.ts";
import { registerAuthRoutes } from "./routes/auth/index.ts";
import { registerDashboardRoutes } from "./routes/dashboard.ts";
import { registerDocs } from "./routes/docs.ts";
import { registerEffectRoutes } from "./routes/effects/index.ts";
import { registerSecurityHeaders } from "./routes/page-headers.ts";
import { registerPaymentRoutes } from "./routes/payments/index.ts";
import { registerPublicRoutes } from "./routes/public/index.ts";
import { clientAddress, rateLimit } from "./routes/rate-limit.ts";
import { registerSignup } from "./routes/signup.ts";
import type { App, AppDeps, AppEnv, DatabaseHandle } from "./routes/types.ts";
import { registerWidgetRoutes } from "./routes/widget/index.ts";

/** The largest request body any route accepts (API.md: 413 PAYLOAD_TOO_LARGE above it). */
export const MAX_BODY_BYTES = 64 * 1024;

/** An incoming X-Request-Id that is kept (API.md); anything else is replaced by a generated one. */
const REQUEST_ID = /^[\w.-]{8,64}$/;

export function createApp(deps: AppDeps): App {
  const app: App = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      // NUL characters are checked where JSON is parsed, so no body is read before its route wants it.
      if (result.success && result.target === "json" && containsNul(result.data))
        throw new ValidationFailed("NUL characters are not allowed");
      if (!result.success) {
        throw new ValidationFailed(
          "The request is invalid",
          result.error.issues.map((i) => ({
            path: i.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
            message: i.message,
          })),
        );
      }
    },
  });

  // c.get("requestId"): a well-formed incoming X-Request-Id (8–64 of [\w.-]), else req_<20 random>. The middleware's
  // own test (up to limitLength of [\w=-], no minimum) is bypassed (headerName ""), so the generator judges every
  // incoming id; the response header is set below, on every answer and in onError.
  app.use(
    "*",
    assignRequestId({
      headerName: "",
      generator: (c) => {
        const incoming = c.req.header("x-request-id");
        return incoming && REQUEST_ID.test(incoming) ? incoming : `req_${randomString(20)}`;
      },
    }),
  );

  app.use("*", async (c, next) => {
    const requestId = c.get("requestId");
    // Local profiling only (deps.serverTiming): the request's waits in a Server-Timing header.
    const timings = deps.serverTiming ? new RequestTimings() : undefined;
    c.set("deps", timings ? withTimedLimiter(deps, timings) : deps);
    let handle: DatabaseHandle | undefined;
    const deferred: (() => Promise<unknown>)[] = [];
    c.set("defer", (work) => deferred.push(work));
    c.set("db", () => {
      if (!handle) {
        handle = deps.database();
        if (timings) timings.undo = instrumentDatabase(handle.db, timings);
      }
      return handle.db;
    });
    rejectNulInUrl(c.req.raw.url);
    try {
      await next();
    } finally {
      c.header("X-Request-Id", requestId);
      if (timings) c.header("Server-Timing", timings.header());
      if (handle) {
        // Relay after the handler, before the per-request Pool closes; waitUntil keeps it off the response's path.
        const settled = relayThenRelease(handle, deps.outboxQueue, requestId, deferred, timings);
        try {
          c.executionCtx.waitUntil(settled);
        } catch {
          await settled; // no ExecutionContext outside the Workers runtime (in-process tests)
        }
      }
    }
  });

  // Counts streamed bytes too (a chunked body has no Content-Length): at most MAX_BODY_BYTES are ever read, on any
  // path, before the 413. A body-less request is not touched, and a declared length over the limit is refused unread.
  app.use(
    "*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new AppError("PAYLOAD_TOO_LARGE", `The request body is too large (at most ${MAX_BODY_BYTES} bytes)`);
      },
    }),
  );

  app.onError((err, c) => {
    const requestId = c.get("requestId") ?? "unknown";
    let appErr: AppError;
    if (err instanceof AppError) appErr = err;
    else if (err instanceof HTTPException && err.status < 500)
      appErr = err.status === 400 ? new ValidationFailed(err.message || "Malformed request") : mapHttpStatus(err);
    else {
      console.error(JSON.stringify({ level: "error", requestId, message: String(err), stack: (err as Error)?.stack }));
      appErr = new AppError("INTERNAL", "Something went wrong on our side; it has been logged");
    }
    c.header("X-Request-Id", requestId);
    const body = {
      error: {
        code: appErr.code,
        message: appErr.message,
        requestId,
        ...(appErr.issues ? { issues: appErr.issues } : {}),
      },
    };
    return c.json(body, STATUS_BY_CODE[appErr.code]);
  });

  app.notFound((c) => {
    const requestId = c.get("requestId") ?? "unknown";
    return c.json({ error: { code: "NOT_FOUND", message: "No such route", requestId } }, 404);
  });

  registerSecurityHeaders(app);
  app.get("/health", (c) => c.json({ ok: true }));

  app.use(
    "/v1/public/*",
    cors({
      origin: "*",
      allowHeaders: ["Content-Type", "Authorization", "Idempotency-Key"],
      exposeHeaders: ["X-Request-Id", "Retry-After"],
      maxAge: 600,
    }),
  );
  app.use("/v1/signup", rateLimit("signup", clientAddress));
  app.use(
    "/v1/public/:tenant/bookings",
    rateLimit("booking", (c) => `${clientAddress(c)}|${c.req.param("tenant")}`),
  );
  // Cancel and reschedule (each sends the customer messages): per booking whoever asks, and per caller and business.
  app.use(
    "/v1/public/:tenant/bookings/:id/*",
    rateLimit("manage-booking", (c) => `${c.req.param("tenant")}|${c.req.param("id")}`.slice(0, 200)),
    rateLimit("manage-address", (c) => `${clientAddress(c)}|${c.req.param("tenant")}`),
  );
  registerSignup(app);
  registerPublicRoutes(app);
  registerAdminRoutes(app);
  registerEffectRoutes(app);
  registerWidgetRoutes(app);
  registerPaymentRoutes(app);
  registerAuthRoutes(app);
  documentAdminAuth(app);
  registerDocs(app);
  registerDashboardRoutes(app);
  return app;
}

/**
 * After the response: the outbox relay and any deferred work (e.g. recording an API key's use), side by side, then the
 * request's database is released. A failed send is logged, not thrown: the rows are committed and the cron sweep
 * re-sends them.
 */
async function relayThenRelease(
  handle: DatabaseHandle,
  queue: QueueSender | undefined,
  requestId: string,
  deferred: (() => Promise<unknown>)[] = [],
  timings?: RequestTimings,
): Promise<void> {
  const t0 = Date.now();
  const logged = (msg: string) => (err: unknown) =>
    console.error(JSON.stringify({ level: "error", msg, requestId, error: String(err) }));
  const relay = async () => {
    if (queue) await relayCommitted(handle.db, queue);
    else handle.db.takeCommittedOutbox();
  };
  try {
    await Promise.all([
      relay().catch(logged("outbox relay failed; the sweep will re-send")),
      ...deferred.map((work) => work().catch(logged("deferred work failed"))),
    ]);
  } finally {
    await handle.release();
    // After the response: a later response's Server-Timing carries it (a log line per request would cost more).
    timings?.finishedAfterResponse(Date.now() - t0);
    timings?.undo?.();
  }
}

/** The dependencies with the rate limiter's wait recorded as `ratelimit` (local profiling only). */
function withTimedLimiter(deps: AppDeps, timings: RequestTimings): AppDeps {
  const limiter = deps.rateLimiter;
  if (!limiter) return deps;
  return {
    ...deps,
    rateLimiter: { allow: (bucket, key) => timings.time("ratelimit", () => limiter.allow(bucket, key)) },
  };
}

/** Postgres cannot store NUL characters (and refuses them in a bound parameter), so they stop at the edge. */
function rejectNulInUrl(url: string): void {
  let decoded = url;
  try {
    decoded = decodeURIComponent(url);
  } catch {
    throw new ValidationFailed("The URL is not validly encoded");
  }
  if (decoded.includes("\u0000")) throw new ValidationFailed("NUL characters are not allowed");
}

/** Whether any string (key or value) of a parsed JSON body holds a NUL character. */
function containsNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === "object")
    return Object.entries(value).some(([key, v]) => key.includes("\u0000") || containsNul(v));
  return false;
}

function mapHttpStatus(err: HTTPException): AppError {
  if (err.status === 401) return new AppError("UNAUTHENTICATED", err.message || "Authentication required");
  if (err.status === 404) return new AppError("NOT_FOUND", err.message || "Not found");
  if (err.status === 413) return new AppError("PAYLOAD_TOO_LARGE", "The request body is too large");
  return new ValidationFailed(err.message || "Bad request");
}
