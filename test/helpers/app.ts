// In-process app for route tests: the real Hono app and services on a real Postgres, one database per test file.
import { afterAll, beforeAll } from "vitest";
import { createApp } from "../../worker/src/app.ts";
import { parsePasswordPeppers } from "../../worker/src/lib/crypto.ts";
import { parseDataKeys } from "../../worker/src/lib/encryption.ts";
import { randomString } from "../../worker/src/lib/ids.ts";
import type { App } from "../../worker/src/routes/types.ts";
import { memoryReadCache, type PublicReadCache } from "../../worker/src/services/catalog/read-cache.ts";
import type { ServiceConfig } from "../../worker/src/services/context.ts";
import { checkResponse, requestTarget } from "./contract.ts";
import { createTestDatabase, type TestDatabase } from "./db.ts";

/**
 * The instant every in-process test starts at, unless it sets `clock.now` itself: a failure reproduces on any day.
 * A Monday; London is on UTC until 28 March 2027.
 */
export const TEST_NOW = new Date("2027-03-01T08:00:00Z");

export const TEST_STRIPE_WEBHOOK_SECRET = "whsec_test_0123456789abcdefghijklmnop";
/** DATA_ENCRYPTION_KEYS of the in-process app: one fixed AES-256 key, id `test1`. */
export const TEST_DATA_KEYS_SPEC = "test1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
export const TEST_DATA_KEYS = parseDataKeys(TEST_DATA_KEYS_SPEC);
/** PASSWORD_PEPPER of the in-process app: one fixed pepper, id `test1`. */
export const TEST_PASSWORD_PEPPERS = parsePasswordPeppers("test1:test-password-pepper-0123456789abcdef");

export interface TestTenant {
  id: string;
  slug: string;
  apiKey: string;
  timezone: string;
  currency: string;
}

export interface RequestOptions {
  body?: unknown;
  /** A raw body string (for malformed JSON tests). */
  raw?: string;
  key?: string;
  headers?: Record<string, string>;
}

export interface TestApp {
  app: App;
  database: TestDatabase;
  clock: { now: Date };
  /** The in-memory stand-in for the Workers Cache API that the public reads use (shared by withConfig apps). */
  publicReadCache: PublicReadCache;
  request(
    method: string,
    path: string,
    opts?: RequestOptions,
  ): Promise<{ status: number; body: any; headers: Headers }>;
  createTenant(overrides?: Partial<{ timezone: string; currency: string; slug: string }>): Promise<TestTenant>;
  /**
   * Another app on the same database and clock, with some configuration changed (e.g. `devMailbox: true`), and
   * optionally another public read cache (null: none, every public read asks the database for its data).
   */
  withConfig(overrides: Partial<ServiceConfig>, deps?: { publicReadCache?: PublicReadCache | null }): App;
}

/** Call at the top of a test file: sets up the app before the file's tests and drops its database after. */
export function useTestApp(): TestApp {
  const clock = { now: TEST_NOW };
  const ctx = { clock, publicReadCache: memoryReadCache() } as TestApp;
  beforeAll(async () => {
    ctx.database = await createTestDatabase();
    ctx.app = ctx.withConfig({});
  });
  ctx.withConfig = (overrides, deps = {}) => {
    const app = createApp({
      database: () => ({ db: ctx.database.db, release: async () => {} }),
      now: () => clock.now,
      publicReadCache: deps.publicReadCache === null ? undefined : (deps.publicReadCache ?? ctx.publicReadCache),
      config: {
        manageTokenSecret: "test-manage-token-secret-0123456789abcdef",
        dataKeys: TEST_DATA_KEYS,
        passwordPeppers: TEST_PASSWORD_PEPPERS,
        publicBaseUrl: "http://bookra.test",
        // A key so the webhook route verifies; no Stripe behind it (tests that pay start the emulator).
        stripe: {
          webhookSecret: TEST_STRIPE_WEBHOOK_SECRET,
          secretKey: "sk_test_in_process",
          apiBase: "http://127.0.0.1:9",
        },
        ...overrides,
      },
    });
    // Every answer a test reads, through t.request or app.request, must match the published OpenAPI document.
    const request = app.request.bind(app);
    app.request = (async (input: RequestInfo | URL, init?: RequestInit, ...rest: unknown[]) => {
      const res = await (request as (...a: unknown[]) => Promise<Response>)(input, init, ...rest);
      const { method, url } = requestTarget(input, init);
      return checkResponse(method, url, res);
    }) as typeof app.request;
    return app;
  };
  afterAll(async () => {
    await ctx.database?.drop();
  });
  ctx.request = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.key) headers.authorization = `Bearer ${opts.key}`;
    let body: string | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type"))
      headers["content-type"] = "application/json";
    const res = await ctx.app.request(path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  ctx.createTenant = async (overrides = {}) => {
    const slug = overrides.slug ?? `t-${randomString(10)}`;
    const timezone = overrides.timezone ?? "Europe/London";
    const currency = overrides.currency ?? "EUR";
    const res = await ctx.request("POST", "/v1/signup", {
      body: {
        businessName: `Business ${slug}`,
        slug,
        timezone,
        currency,
        ownerEmail: `${slug}@example.com`,
        ownerPassword: "correct horse battery staple",
      },
    });
    if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: res.body.tenant.id, slug, apiKey: res.body.apiKey, timezone, currency };
  };
  return ctx;
}
