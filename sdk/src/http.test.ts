// Transport behaviour with a scripted fetch: idempotent retries, backoff and Retry-After, timeouts, aborts, errors.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { apiError, fakeFetch, hang, idempotentServer, json, type Step } from "../test/fake-fetch.ts";
import { createBookraAdmin } from "./admin-client.ts";
import {
  AbortError,
  BookraError,
  ConflictError,
  IdempotencyError,
  NetworkError,
  NotFoundError,
  RateLimitError,
  ServerError,
  SlotUnavailableError,
  TimeoutError,
  ValidationError,
} from "./errors.ts";
import contract from "./generated/openapi.json" with { type: "json" };
import { retryAfterMs } from "./http.ts";
import { createBookra } from "./index.ts";

const START = new Date("2027-03-01T08:00:00Z");
const input = {
  serviceId: "svc_1",
  start: "2027-03-02T09:00:00Z",
  customer: { name: "Ada", email: "ada@example.com" },
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  vi.setSystemTime(START);
});
afterEach(() => {
  vi.useRealTimers();
});

function client(steps: Step[], options: { maxRetries?: number; timeoutMs?: number } = {}) {
  const f = fakeFetch(...steps);
  return {
    bookra: createBookra({ baseUrl: "https://api.test/", tenant: "demo-salon", fetch: f.fetch, ...options }),
    calls: f.calls,
  };
}

/** Runs the call to completion under fake timers and returns its outcome without an unhandled rejection. */
async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  const outcome = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await vi.runAllTimersAsync();
  return outcome;
}

describe("idempotent retries", () => {
  it("retries a create after a 503 with the same key and body, and the booking exists once", async () => {
    const server = idempotentServer();
    const { bookra, calls } = client([server.afterWork503, server.ok]);
    const { value } = await settle(bookra.bookings.create(input));
    expect(value?.booking.id).toBe("bkg_1");
    expect(calls).toHaveLength(2);
    const key = calls[0]!.headers.get("idempotency-key");
    expect(key).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(calls[1]!.headers.get("idempotency-key")).toBe(key);
    expect(calls[1]!.body).toEqual(calls[0]!.body);
    expect(server.created).toBe(1);
  });

  it("retries a create after a network error with the same key, and the booking exists once", async () => {
    const server = idempotentServer();
    const { bookra, calls } = client([server.afterWorkNetworkError, server.afterWork503, server.ok]);
    const { value } = await settle(bookra.bookings.create(input));
    expect(value?.booking.id).toBe("bkg_1");
    expect(new Set(calls.map((c) => c.headers.get("idempotency-key"))).size).toBe(1);
    expect(server.created).toBe(1);
  });

  it("generates keys the public contract accepts, with crypto.randomUUID and without it", async () => {
    const param = contract.paths["/v1/public/{tenant}/bookings"].post.parameters.find(
      (p) => p.name === "idempotency-key",
    );
    const pattern = new RegExp(param!.schema.pattern!);
    const server = idempotentServer();
    const { bookra, calls } = client([server.ok, server.ok]);
    await settle(bookra.bookings.create(input));
    const { getRandomValues } = globalThis.crypto;
    vi.stubGlobal("crypto", { getRandomValues: getRandomValues.bind(globalThis.crypto) }); // no randomUUID
    try {
      await settle(bookra.bookings.create(input));
    } finally {
      vi.unstubAllGlobals();
    }
    const keys = calls.map((c) => c.headers.get("idempotency-key") ?? "");
    expect(keys.map((k) => pattern.test(k))).toEqual([true, true]);
    expect(keys[1]).toMatch(/^[0-9a-f]{32}$/);
  });

  it("uses the caller's key, and a fresh key for each new call", async () => {
    const server = idempotentServer();
    const { bookra, calls } = client([server.ok, server.ok, server.ok]);
    await settle(bookra.bookings.create(input, { idempotencyKey: "order-42-7c1e4d3a9b2f0a6b" }));
    await settle(bookra.bookings.create(input));
    await settle(bookra.bookings.create(input));
    expect(calls[0]!.headers.get("idempotency-key")).toBe("order-42-7c1e4d3a9b2f0a6b");
    expect(calls[1]!.headers.get("idempotency-key")).not.toBe(calls[2]!.headers.get("idempotency-key"));
  });

  it("sends the reschedule's key and the manage token, and keeps both across a retry", async () => {
    const { bookra, calls } = client([apiError(502, "BAD_GATEWAY"), json(200, { id: "bkg_1" })]);
    await settle(
      bookra.bookings.reschedule(
        "bkg_1",
        { start: "2027-03-02T10:00:00Z" },
        { manageToken: "mt_abc", idempotencyKey: "mv-1" },
      ),
    );
    expect(
      calls.map((c) => [c.method, c.url.pathname, c.headers.get("idempotency-key"), c.headers.get("authorization")]),
    ).toEqual([
      ["POST", "/v1/public/demo-salon/bookings/bkg_1/reschedule", "mv-1", "Bearer mt_abc"],
      ["POST", "/v1/public/demo-salon/bookings/bkg_1/reschedule", "mv-1", "Bearer mt_abc"],
    ]);
  });

  it("waits for an earlier attempt still in progress (409 + Retry-After) and gets its result", async () => {
    const inProgress = apiError(409, "CONFLICT", {}, { "retry-after": "1" });
    const { bookra, calls } = client([inProgress, json(201, { booking: { id: "bkg_1" }, manageToken: "mt_x" })]);
    const { value } = await settle(bookra.bookings.create(input, { idempotencyKey: "order-7" }));
    expect(value?.booking.id).toBe("bkg_1");
    expect(calls.map((c) => c.headers.get("idempotency-key"))).toEqual(["order-7", "order-7"]);
    expect(calls[1]!.at - calls[0]!.at).toBe(1000);
  });

  it("does not retry a 409 without Retry-After, nor any 409 to a request without a key", async () => {
    const keyed = client([apiError(409, "CONFLICT")]);
    expect((await settle(keyed.bookra.bookings.create(input))).error).toBeInstanceOf(ConflictError);
    expect(keyed.calls).toHaveLength(1);
    const unkeyed = client([apiError(409, "CONFLICT", {}, { "retry-after": "1" })]);
    expect((await settle(unkeyed.bookra.bookings.cancel("bkg_1", { manageToken: "mt_x" }))).error).toBeInstanceOf(
      ConflictError,
    );
    expect(unkeyed.calls).toHaveLength(1);
  });

  it("gives up after maxRetries with the last error, its code and request id", async () => {
    const { bookra, calls } = client([apiError(503, "INTERNAL"), apiError(503, "INTERNAL"), apiError(500, "INTERNAL")]);
    const { error } = await settle(bookra.catalog.get());
    expect(calls).toHaveLength(3);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ code: "INTERNAL", status: 500, requestId: "req_500" });
  });

  it("honours maxRetries per client and per call", async () => {
    const once = client([apiError(503, "INTERNAL")], { maxRetries: 0 });
    expect((await settle(once.bookra.catalog.get())).error).toBeInstanceOf(ServerError);
    expect(once.calls).toHaveLength(1);
    const perCall = client([apiError(503, "INTERNAL"), apiError(503, "INTERNAL")]);
    await settle(perCall.bookra.catalog.get({ maxRetries: 1 }));
    expect(perCall.calls).toHaveLength(2);
  });
});

describe("backoff and Retry-After", () => {
  it("backs off exponentially with jitter", async () => {
    const { bookra, calls } = client([apiError(503, "INTERNAL"), apiError(503, "INTERNAL"), json(200, {})]);
    await settle(bookra.catalog.get());
    const first = calls[1]!.at - calls[0]!.at;
    const second = calls[2]!.at - calls[1]!.at;
    expect(first).toBeGreaterThanOrEqual(250);
    expect(first).toBeLessThanOrEqual(500);
    expect(second).toBeGreaterThanOrEqual(500);
    expect(second).toBeLessThanOrEqual(1000);
  });

  it("waits the Retry-After seconds of a 429", async () => {
    const { bookra, calls } = client([
      apiError(429, "RATE_LIMITED", {}, { "retry-after": "7" }),
      json(200, { slots: [] }),
    ]);
    const { value } = await settle(
      bookra.availability.list({ serviceId: "svc_1", from: "2027-03-01", to: "2027-03-01" }),
    );
    expect(value).toEqual({ slots: [] });
    expect(calls[1]!.at - calls[0]!.at).toBe(7000);
  });

  it("waits until a Retry-After HTTP date", async () => {
    const at = new Date(START.getTime() + 12_000).toUTCString();
    const { bookra, calls } = client([apiError(503, "INTERNAL", {}, { "retry-after": at }), json(200, {})]);
    await settle(bookra.catalog.get());
    expect(calls[1]!.at - calls[0]!.at).toBe(12_000);
  });

  it("does not sit out a Retry-After longer than a minute: the RateLimitError comes at once", async () => {
    const { bookra, calls } = client([apiError(429, "RATE_LIMITED", {}, { "retry-after": "3600" })]);
    const { error } = await settle(bookra.catalog.get());
    expect(error).toBeInstanceOf(RateLimitError);
    expect(calls).toHaveLength(1);
  });

  it("parses Retry-After forms", () => {
    expect(retryAfterMs("2", 0)).toBe(2000);
    expect(retryAfterMs("0", 0)).toBe(0);
    expect(retryAfterMs(new Date(5000).toUTCString(), 1000)).toBe(4000);
    expect(retryAfterMs(new Date(0).toUTCString(), 9000)).toBe(0);
    expect(retryAfterMs("soon", 0)).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});

describe("what is never retried", () => {
  it.each([
    [400, "VALIDATION_FAILED", ValidationError],
    [404, "NOT_FOUND", NotFoundError],
    [409, "CONFLICT", ConflictError],
    [409, "SLOT_UNAVAILABLE", SlotUnavailableError],
    [422, "IDEMPOTENCY_KEY_REUSED", IdempotencyError],
  ])("a %i %s: one request, a %o", async (status, code, Kind) => {
    const issues = [{ path: ["start"], message: "Expected an ISO 8601 UTC instant ending in Z" }];
    const { bookra, calls } = client([apiError(status, code, { issues })]);
    const { error } = await settle(bookra.bookings.create(input));
    expect(calls).toHaveLength(1);
    expect(error).toBeInstanceOf(Kind);
    expect(error).toBeInstanceOf(BookraError);
    expect(error).toMatchObject({ code, status, requestId: `req_${status}`, issues, message: `${code} happened` });
    expect((error as Error).name).toBe((Kind as { name: string }).name);
  });

  it("a SLOT_UNAVAILABLE is also a ConflictError", async () => {
    const { bookra } = client([apiError(409, "SLOT_UNAVAILABLE")]);
    expect((await settle(bookra.bookings.create(input))).error).toBeInstanceOf(ConflictError);
  });

  it("a POST the API cannot deduplicate is not repeated after a 5xx or a network error, but is after a 429", async () => {
    const f = fakeFetch(
      apiError(503, "INTERNAL"),
      new TypeError("fetch failed"),
      apiError(429, "RATE_LIMITED"),
      json(200, { id: "bkg_1" }),
    );
    const admin = createBookraAdmin({ baseUrl: "https://api.test", apiKey: `sk_${"a".repeat(40)}`, fetch: f.fetch });
    expect((await settle(admin.bookings.complete("bkg_1"))).error).toBeInstanceOf(ServerError);
    expect((await settle(admin.bookings.complete("bkg_1"))).error).toBeInstanceOf(NetworkError);
    expect((await settle(admin.bookings.complete("bkg_1"))).value).toEqual({ id: "bkg_1" });
    expect(f.calls).toHaveLength(4);
    expect(f.calls.every((c) => !c.headers.has("idempotency-key"))).toBe(true);
  });

  it("an admin create is keyed, so it is retried after a 5xx or a network error with the same key", async () => {
    const f = fakeFetch(apiError(503, "INTERNAL"), new TypeError("fetch failed"), json(201, { id: "stf_1" }));
    const admin = createBookraAdmin({ baseUrl: "https://api.test", apiKey: `sk_${"a".repeat(40)}`, fetch: f.fetch });
    expect((await settle(admin.staff.create({ name: "Ana" }))).value).toEqual({ id: "stf_1" });
    expect(f.calls).toHaveLength(3);
    expect(new Set(f.calls.map((c) => c.headers.get("idempotency-key"))).size).toBe(1);
  });

  it("an API key whose first response was lost is not replayed: the retry ends in a ConflictError naming it", async () => {
    const refused = apiError(409, "CONFLICT", { message: "This Idempotency-Key already issued API key key_1; …" });
    const f = fakeFetch(new TypeError("fetch failed"), refused);
    const admin = createBookraAdmin({ baseUrl: "https://api.test", apiKey: `sk_${"a".repeat(40)}`, fetch: f.fetch });
    const { error } = await settle(admin.apiKeys.create({ name: "sync" }));
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toContain("key_1");
    expect(f.calls).toHaveLength(2);
  });

  it("a non-JSON 502 from a proxy is a ServerError with the request id header", async () => {
    const { bookra } = client(
      [new Response("<html>bad gateway</html>", { status: 502, headers: { "x-request-id": "req_edge" } })],
      { maxRetries: 0 },
    );
    const { error } = await settle(bookra.catalog.get());
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ code: "HTTP_502", status: 502, requestId: "req_edge" });
  });
});

describe("timeouts and aborts", () => {
  it("times out an attempt that does not answer, retries it with the same key, then throws TimeoutError", async () => {
    const { bookra, calls } = client([hang, hang, hang], { timeoutMs: 1000 });
    const { error } = await settle(bookra.bookings.create(input));
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((c) => c.headers.get("idempotency-key"))).size).toBe(1);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ code: "TIMEOUT" });
    expect(calls[0]!.signal?.aborted).toBe(true);
  });

  it("uses a 15 s default timeout", async () => {
    const { bookra, calls } = client([hang], { maxRetries: 0 });
    const { error } = await settle(bookra.catalog.get());
    expect(error).toBeInstanceOf(TimeoutError);
    expect(Date.now() - calls[0]!.at).toBe(15_000);
  });

  it("a caller's abort during the request is an AbortError and is not retried", async () => {
    const controller = new AbortController();
    const { bookra, calls } = client([hang, json(200, {})]);
    const outcome = settle(bookra.catalog.get({ signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(100);
    controller.abort(new Error("user left"));
    const { error } = await outcome;
    expect(error).toBeInstanceOf(AbortError);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: "ABORTED", cause: new Error("user left") });
    expect(calls).toHaveLength(1);
  });

  it("an abort during the wait before a retry stops there", async () => {
    const controller = new AbortController();
    const { bookra, calls } = client([apiError(503, "INTERNAL"), json(200, {})]);
    const outcome = bookra.catalog.get({ signal: controller.signal }).then(
      () => null,
      (e: unknown) => e,
    );
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    await vi.runAllTimersAsync();
    expect(await outcome).toBeInstanceOf(AbortError);
    expect(calls).toHaveLength(1);
  });

  it("an already aborted signal sends nothing", async () => {
    const { bookra, calls } = client([json(200, {})]);
    const { error } = await settle(bookra.catalog.get({ signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(AbortError);
    expect(calls).toHaveLength(0);
  });
});

describe("CSV reports", () => {
  it("hands a text/csv answer back as its text (a JSON answer is still parsed)", async () => {
    const csv = 'from,to\r\n"\'=HYPERLINK(""x"")",2027-03-31\r\n';
    const f = fakeFetch(
      new Response(csv, { status: 200, headers: { "content-type": "text/csv; charset=utf-8" } }),
      json(200, { from: "2027-03-01", to: "2027-03-31", timezone: "UTC", currencies: [] }),
    );
    const admin = createBookraAdmin({ baseUrl: "http://api.test", apiKey: "sk_test_1", fetch: f.fetch });
    expect(await admin.reports.summaryCsv({ from: "2027-03-01", to: "2027-03-31" })).toBe(csv);
    expect((await admin.reports.summary({ from: "2027-03-01", to: "2027-03-31" })).timezone).toBe("UTC");
    expect(f.calls[0]!.url.pathname).toBe("/v1/admin/reports/summary.csv");
    expect(f.calls[0]!.url.search).toBe("?from=2027-03-01&to=2027-03-31");
  });
});
