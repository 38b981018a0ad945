// The types every route shares: the app, what each request carries (its variables) and what the app is built from.
// They live apart from app.ts so that a route can name them without importing the module that imports every route.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AdminActor } from "../domain/permissions.ts";
import type { QueueSender } from "../outbox/relay.ts";
import type { PublicReadCache } from "../services/catalog/read-cache.ts";
import type { ServiceConfig, TenantCtx } from "../services/context.ts";

/**
 * The request's database as services take it: routes carry it to a service verb and never query it, so they name it
 * through the service context instead of importing db/ (the dependency rules forbid that, type-only included).
 */
export type Database = TenantCtx["db"];

export interface DatabaseHandle {
  db: Database;
  release(): Promise<void>;
}

/** manage-booking: cancel/reschedule per booking; manage-address: the same per caller address and business. */
export type RateLimitBucket =
  | "booking"
  | "signup"
  | "manage-booking"
  | "manage-address"
  /** Sign-in, password-reset requests and e-mailed links: per caller address, and per e-mail address. */
  | "auth-address"
  | "auth-email";

export interface RateLimiter {
  /** True while `key` is within its budget for `bucket` (the windows are 60 s). */
  allow(bucket: RateLimitBucket, key: string): Promise<boolean>;
}

export interface AppDeps {
  /** Opens the database for one request (the worker: a Pool per request; tests: a shared one). */
  database(): DatabaseHandle;
  now(): Date;
  config: ServiceConfig;
  /** Limits unauthenticated writes per caller (absent: no limits, e.g. in-process tests). */
  rateLimiter?: RateLimiter | undefined;
  /** Where outbox rows committed by a request are sent after the response (absent: the cron sweep sends them). */
  outboxQueue?: QueueSender;
  /**
   * The edge cache of the public catalog and availability reads (the worker: the Workers Cache API's caches.default;
   * in-process tests: an in-memory one). Absent: every read asks the database for the data too.
   */
  publicReadCache?: PublicReadCache | undefined;
  /** Workers static assets (the ASSETS binding): the dashboard's index.html for /app/* (absent: /app/* is a 404). */
  assets?: AssetFetcher | undefined;
  /** Local profiling only (BOOKRA_SERVER_TIMING=on with BOOKRA_ENV=local): a Server-Timing header on every answer. */
  serverTiming?: boolean;
}

export interface AssetFetcher {
  fetch(request: Request): Promise<Response>;
}

interface Principal {
  tenantId: string;
  /** The API key's id; absent for a dashboard session. */
  keyId?: string;
  /** Who acts, with which role (an API key acts as the owner). */
  actor: AdminActor;
}

export type AppEnv = {
  Variables: {
    requestId: string;
    db: () => Database;
    deps: AppDeps;
    principal: Principal;
    tenantId: string;
    /** Work to finish after the response (the worker: waitUntil), before the request's database is released. */
    defer: (work: () => Promise<unknown>) => void;
  };
};

export type App = OpenAPIHono<AppEnv>;
