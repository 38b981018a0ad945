// Invariant 2 with the real queue inside workerd: bookings never wait for or fail on providers, and under random
// provider failures, duplicate deliveries and a consumer killed mid-batch every side effect happens exactly once,
// nothing is lost, and only events whose endpoint never recovers end up dead.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { EFFECT_HANDLERS } from "../../worker/src/effects/handlers/index.ts";
import { TENANT_WEBHOOKS_HANDLER } from "../../worker/src/effects/handlers/tenant-webhooks.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { eventually } from "../helpers/worker.ts";
import { type Receiver, startReceiver, verifyStandardWebhook } from "./helpers.ts";
import { type Business, book, createBusiness, runLimited, startCrashableWorker } from "./workerd-harness.ts";

/** Fast retries so a test sees the whole life of a message; the sweep re-sends anything 3 s overdue. */
const FAST_OUTBOX = { OUTBOX_RETRY_BASE_SECONDS: "1", OUTBOX_RETRY_CAP_SECONDS: "2", OUTBOX_SWEEP_AFTER_SECONDS: "3" };
const AFTER_CRASH = "?after-crash";
const HANDLER_NAMES = [...EFFECT_HANDLERS.map((h) => h.name), TENANT_WEBHOOKS_HANDLER];

let database: TestDatabase;
let receiver: Receiver;
beforeAll(async () => {
  database = await createTestDatabase();
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await database?.drop();
});

const rowsOf = (tenantId: string) =>
  database.admin<{ id: string; event_type: string; status: string; last_error: string | null }>(
    "SELECT id, event_type, status, last_error FROM outbox WHERE tenant_id = $1 ORDER BY created_at",
    [tenantId],
  );
const completionsOf = (tenantId: string, handler: string) =>
  database.admin<{ outbox_id: string }>(
    "SELECT outbox_id FROM outbox_completions WHERE tenant_id = $1 AND handler = $2",
    [tenantId, handler],
  );

describe("every provider down", () => {
  it("bookings still return 201 at once; providers' effects wait for retries, webhooks are unaffected", async () => {
    // A generous webhook timeout: the tenant's endpoint (the one provider the test controls) is held below.
    const w = await startCrashableWorker(database, {
      ...FAST_OUTBOX,
      LOCAL_PROVIDERS_DOWN: "all",
      WEBHOOK_TIMEOUT_MS: "30000",
    });
    let answer!: () => void;
    const endpointAnswers = new Promise<void>((ok) => {
      answer = ok;
    });
    try {
      receiver.respond = async () => {
        await endpointAnswers;
        return 204;
      };
      const b = await createBusiness(w, receiver.url, ["/down-test"]);
      // The bookings answer while the endpoint has not answered anything: no provider call is awaited by a booking.
      const results = await Promise.all([0, 1, 2].map((n) => book(w, b, n)));
      expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
      // …and the provider call really was under way, blocked, when they did.
      await vi.waitFor(() => expect(receiver.arrived.some((r) => r.path === "/down-test")).toBe(true), {
        timeout: 30_000,
      });
      expect(receiver.received.filter((r) => r.path === "/down-test")).toEqual([]);
      answer();
      const rows = await eventually(
        () => rowsOf(b.tenantId),
        (r) => r.length === 3 && r.every((x) => x.status === "failed" && x.last_error !== null),
      );
      expect(rows.map((r) => r.status)).toEqual(["failed", "failed", "failed"]);
      for (const r of rows) expect(r.last_error).toMatch(/provider is down/);
      // A failing handler did not undo another: the webhook went out once per event and is recorded as complete.
      expect((await completionsOf(b.tenantId, TENANT_WEBHOOKS_HANDLER)).map((c) => c.outbox_id).sort()).toEqual(
        rows.map((r) => r.id).sort(),
      );
      const delivered = receiver.received.filter((r) => r.path === "/down-test" && r.status === 204).map((r) => r.id);
      expect(delivered.sort()).toEqual(rows.map((r) => r.id).sort());
      expect(await database.admin("SELECT 1 FROM dev_outbox_messages WHERE tenant_id = $1", [b.tenantId])).toHaveLength(
        0,
      );
    } finally {
      answer();
      await w.stop();
    }
  });
});

describe("random failures, duplicate deliveries and a crash mid-batch", () => {
  it("ends with every side effect done exactly once, nothing lost, dead letters only where an endpoint never recovers", async () => {
    const flaky = new Map<string, number>();
    // 30 % of webhook answers fail at random; /never always fails. After 20 answers every further request is held
    // until the first worker is dead, so it dies with deliveries in flight.
    let answered = 0;
    let held = 0;
    let releaseHeld!: () => void;
    const firstWorkerDead = new Promise<void>((ok) => {
      releaseHeld = ok;
    });
    receiver.respond = async ({ path, id }) => {
      if (answered >= 20) {
        held++;
        await firstWorkerDead;
      } else answered++;
      if (pathOf(path) === "/never") return 503;
      flaky.set(id, (flaky.get(id) ?? 0) + 1);
      return Math.random() < 0.3 ? 503 : 204;
    };
    const first = await startCrashableWorker(database, { ...FAST_OUTBOX, LOCAL_PROVIDER_FAILURE_RATE: "0.3" });
    let healthy: Business;
    let doomed: Business;
    try {
      healthy = await createBusiness(first, receiver.url, ["/a"]);
      doomed = await createBusiness(first, receiver.url, ["/b", "/never"]);
      const created = await runLimited(28, 4, (i) => (i < 20 ? book(first, healthy, i) : book(first, doomed, i)));
      expect(created.map((r) => r.status)).toEqual(new Array(28).fill(201));
      // Every event a second time through the admin retry (re-sent to the queue unless already done).
      const events = [
        ...(await rowsOf(healthy.tenantId)).map((r) => ({ id: r.id, key: healthy.apiKey })),
        ...(await rowsOf(doomed.tenantId)).map((r) => ({ id: r.id, key: doomed.apiKey })),
      ];
      const resent = await Promise.all(
        events.map((e) => first.api("POST", `/v1/admin/outbox/${e.id}/retry`, undefined, e.key)),
      );
      expect(resent.filter((r) => r.status === 200).length).toBeGreaterThan(0);
      expect(resent.every((r) => r.status === 200 || r.status === 409)).toBe(true);
      await vi.waitFor(() => expect(held).toBeGreaterThan(0), { timeout: 60_000 });
      await first.kill();
      const atKill = [...(await rowsOf(healthy.tenantId)), ...(await rowsOf(doomed.tenantId))];
      expect(atKill.filter((r) => r.status !== "done").length).toBeGreaterThan(0); // it really died with work in flight
      // From now on the endpoints' URLs carry a mark: a request with it can only come from the second worker.
      await database.admin("UPDATE webhook_endpoints SET url = url || $1 WHERE tenant_id = ANY($2)", [
        AFTER_CRASH,
        [healthy.tenantId, doomed.tenantId],
      ]);
    } catch (err) {
      await first.stop();
      throw err;
    } finally {
      releaseHeld();
    }

    const second = await startCrashableWorker(database, { ...FAST_OUTBOX, LOCAL_PROVIDER_FAILURE_RATE: "0.3" });
    try {
      // The cron sweep (driven by the harness, as Cloudflare's cron would) re-sends what died with the first worker.
      const settled = async () => [...(await rowsOf(healthy.tenantId)), ...(await rowsOf(doomed.tenantId))];
      await eventually(settled, (r) => r.every((x) => x.status === "done" || x.status === "dead"), 90_000);
      const healthyRows = await rowsOf(healthy.tenantId);
      const doomedRows = await rowsOf(doomed.tenantId);
      expect(healthyRows).toHaveLength(20);
      expect(doomedRows).toHaveLength(8);
      expect(healthyRows.filter((r) => r.status !== "done")).toEqual([]);
      expect(doomedRows.map((r) => r.status)).toEqual(new Array(8).fill("dead"));
      const never = doomed.endpoints.find((e) => e.path === "/never")!;
      for (const r of doomedRows) expect(r.last_error).toContain(never.id);

      // Every handler completed for every healthy event; in the doomed tenant all but the webhooks did.
      for (const name of HANDLER_NAMES) {
        const expected = healthyRows
          .filter((r) => handles(name, r.event_type))
          .map((r) => r.id)
          .sort();
        expect((await completionsOf(healthy.tenantId, name)).map((c) => c.outbox_id).sort()).toEqual(expected);
      }
      expect(await completionsOf(doomed.tenantId, TENANT_WEBHOOKS_HANDLER)).toEqual([]);

      // The customer e-mail of each booking was recorded exactly once by the local adapter (the dev mailbox).
      const mails = await database.admin<{ idempotency_key: string }>(
        "SELECT idempotency_key FROM dev_outbox_messages WHERE kind = 'email' AND idempotency_key LIKE '%/customer-email' AND tenant_id = ANY($1)",
        [[healthy.tenantId, doomed.tenantId]],
      );
      expect(mails.map((m) => m.idempotency_key).sort()).toEqual(
        [...healthyRows, ...doomedRows].map((r) => `${r.id}/customer-email`).sort(),
      );

      // Webhooks: one recorded success per (event, endpoint); receivers saw each event acknowledged once by the second
      // worker at most, and more often only where the first died between the receiver's answer and its commit
      // (Standard Webhooks receivers dedupe on webhook-id for exactly that case).
      const successes = await database.admin<{ outbox_id: string; endpoint_id: string }>(
        "SELECT outbox_id, endpoint_id FROM webhook_deliveries WHERE succeeded AND tenant_id = ANY($1)",
        [[healthy.tenantId, doomed.tenantId]],
      );
      const a = healthy.endpoints[0]!;
      const b = doomed.endpoints.find((e) => e.path === "/b")!;
      expect(
        successes
          .filter((s) => s.endpoint_id === a.id)
          .map((s) => s.outbox_id)
          .sort(),
      ).toEqual(healthyRows.map((r) => r.id).sort());
      expect(
        successes
          .filter((s) => s.endpoint_id === b.id)
          .map((s) => s.outbox_id)
          .sort(),
      ).toEqual(doomedRows.map((r) => r.id).sort());
      expect(successes.filter((s) => s.endpoint_id === never.id)).toEqual([]);
      for (const [endpoint, rowsFor] of [
        [a, healthyRows],
        [b, doomedRows],
      ] as const) {
        for (const row of rowsFor) {
          const acks = receiver.received.filter(
            (r) => pathOf(r.path) === endpoint.path && r.id === row.id && r.status === 204,
          );
          expect(acks.length).toBeGreaterThanOrEqual(1);
          expect(acks.filter((r) => r.path.endsWith(AFTER_CRASH)).length).toBeLessThanOrEqual(1);
          expect(acks.every((x) => verifyStandardWebhook(endpoint.secret, x))).toBe(true);
        }
      }
      console.log(
        JSON.stringify({
          webhookRequests: receiver.received.length,
          flakyFailures: receiver.received.filter((r) => r.status === 503 && pathOf(r.path) !== "/never").length,
          duplicateAcksFromCrash: receiver.received.filter((r) => r.status === 204).length - successes.length,
        }),
      );
    } finally {
      await second.stop();
    }
  });
});

/** The endpoint path of a request, without the mark added after the crash. */
function pathOf(requestPath: string): string {
  return requestPath.endsWith(AFTER_CRASH) ? requestPath.slice(0, -AFTER_CRASH.length) : requestPath;
}

function handles(name: string, eventType: string): boolean {
  if (name === TENANT_WEBHOOKS_HANDLER) return eventType.startsWith("booking.");
  return EFFECT_HANDLERS.some((h) => h.name === name && h.events.includes(eventType));
}
