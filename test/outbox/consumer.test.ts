// The consumer against the real database: per-handler completion, isolation between handlers, backoff and retry,
// concurrent duplicates, dead letters — driven with hand-built batches (the workerd suite drives the real queue).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { newId } from "../../worker/src/lib/ids.ts";
import { retryDelaySeconds } from "../../worker/src/outbox/backoff.ts";
import { type ConsumerOptions, consumeOutboxBatch, type OutboxQueueMessage } from "../../worker/src/outbox/consumer.ts";
import type { EffectHandler } from "../../worker/src/outbox/types.ts";
import { TEST_NOW } from "../helpers/app.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const config = { manageTokenSecret: "test-manage-token-secret-0123456789abcdef", publicBaseUrl: "http://bookra.test" };

async function tenantWithEvent(type = "booking.created"): Promise<{ tenantId: string; outboxId: string }> {
  const tenantId = newId("ten");
  const outboxId = newId("evt");
  await database.admin("INSERT INTO tenants (id, slug, name, timezone, currency) VALUES ($1, $2, 'T', 'UTC', 'EUR')", [
    tenantId,
    `c-${tenantId.slice(4, 16)}`,
  ]);
  await database.admin(
    "INSERT INTO outbox (id, tenant_id, event_type, aggregate_id, payload) VALUES ($1, $2, $3, 'bkg_x', '{}')",
    [outboxId, tenantId, type],
  );
  return { tenantId, outboxId };
}

interface FakeMessage extends OutboxQueueMessage {
  outcome: "pending" | "acked" | { retryDelay: number | undefined };
}

function message(body: unknown, attempts = 1): FakeMessage {
  const m: FakeMessage = {
    id: `m_${Math.random()}`,
    body,
    attempts,
    outcome: "pending",
    ack: () => {
      m.outcome = "acked";
    },
    retry: (o) => {
      m.outcome = { retryDelay: o?.delaySeconds };
    },
  };
  return m;
}

function counting(
  name: string,
  behaviour: () => Promise<void> = async () => {},
): EffectHandler<undefined> & { runs: number } {
  const h = {
    name,
    events: ["booking.created"],
    runs: 0,
    run: async () => {
      h.runs++;
      await behaviour();
    },
  };
  return h;
}

function options(handlers: EffectHandler<undefined>[]): ConsumerOptions<undefined> {
  return { handlers, providers: undefined, config, now: () => TEST_NOW, retry: { baseSeconds: 2, capSeconds: 60 } };
}

const row = async (id: string) =>
  (await database.admin("SELECT status, attempts, last_error, processed_at FROM outbox WHERE id = $1", [id]))[0]!;
const completions = async (id: string) =>
  (
    await database.admin<{ handler: string }>(
      "SELECT handler FROM outbox_completions WHERE outbox_id = $1 ORDER BY handler",
      [id],
    )
  ).map((r) => r.handler);

describe("outbox consumer", () => {
  it("runs every handler once, records their completions, marks the row done and acks", async () => {
    const { tenantId, outboxId } = await tenantWithEvent();
    const a = counting("a");
    const b = counting("b");
    const m = message({ outboxId, tenantId });
    await consumeOutboxBatch(database.db, { queue: "bookra-outbox", messages: [m] }, options([a, b]));
    expect(m.outcome).toBe("acked");
    expect([a.runs, b.runs]).toEqual([1, 1]);
    expect(await completions(outboxId)).toEqual(["a", "b"]);
    expect(await row(outboxId)).toMatchObject({ status: "done", attempts: 1 });
    // A late duplicate finds the row done and does nothing.
    const late = message({ outboxId, tenantId });
    await consumeOutboxBatch(database.db, { queue: "bookra-outbox", messages: [late] }, options([a, b]));
    expect(late.outcome).toBe("acked");
    expect([a.runs, b.runs]).toEqual([1, 1]);
  });

  it("a failing handler keeps the other's completion; the retry runs only the failed one", async () => {
    const { tenantId, outboxId } = await tenantWithEvent();
    let down = true;
    const ok = counting("ok");
    const flaky = counting("flaky", async () => {
      if (down) throw new Error("provider is down");
    });
    const first = message({ outboxId, tenantId }, 1);
    await consumeOutboxBatch(database.db, { queue: "bookra-outbox", messages: [first] }, options([flaky, ok]));
    expect(first.outcome).toMatchObject({ retryDelay: expect.any(Number) });
    expect(await completions(outboxId)).toEqual(["ok"]);
    expect(await row(outboxId)).toMatchObject({ status: "failed", attempts: 1, last_error: "flaky: provider is down" });

    down = false;
    const second = message({ outboxId, tenantId }, 2);
    await consumeOutboxBatch(database.db, { queue: "bookra-outbox", messages: [second] }, options([flaky, ok]));
    expect(second.outcome).toBe("acked");
    expect([flaky.runs, ok.runs]).toEqual([2, 1]);
    expect(await row(outboxId)).toMatchObject({ status: "done", attempts: 2 });
  });

  it("two concurrent deliveries of one message run each handler once", async () => {
    const { tenantId, outboxId } = await tenantWithEvent();
    // The handler that claims first stays inside its transaction until the other delivery is seen waiting on the
    // claim's lock: the two really overlap, however the machine schedules them.
    let release!: () => void;
    const held = new Promise<void>((ok) => {
      release = ok;
    });
    const slow = counting("slow", () => held);
    const m1 = message({ outboxId, tenantId });
    const m2 = message({ outboxId, tenantId });
    const both = Promise.all([
      consumeOutboxBatch(database.db, { queue: "bookra-outbox", messages: [m1] }, options([slow])),
      consumeOutboxBatch(database.db, { queue: "bookra-outbox", messages: [m2] }, options([slow])),
    ]);
    try {
      await vi.waitFor(
        async () => {
          expect(slow.runs).toBe(1);
          const waiting = await database.admin(
            "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO outbox_completions%'",
          );
          expect(waiting).toHaveLength(1);
        },
        { timeout: 30_000, interval: 20 },
      );
    } finally {
      release();
    }
    await both;
    expect(slow.runs).toBe(1);
    expect([m1.outcome, m2.outcome]).toEqual(["acked", "acked"]);
    expect(await row(outboxId)).toMatchObject({ status: "done" });
  });

  it("an idle handler gets no run, only its completion with the row's outcome (done, or failed with the rest)", async () => {
    const { tenantId, outboxId } = await tenantWithEvent();
    const busy = counting("busy");
    const quiet = { ...counting("quiet"), idle: () => true };
    const m = message({ outboxId, tenantId });
    await consumeOutboxBatch(database.db, { queue: "bookra-outbox", messages: [m] }, options([busy, quiet]));
    expect(m.outcome).toBe("acked");
    expect([busy.runs, quiet.runs]).toEqual([1, 0]);
    expect(await completions(outboxId)).toEqual(["busy", "quiet"]);
    expect(await row(outboxId)).toMatchObject({ status: "done", attempts: 1 });

    const failing = await tenantWithEvent();
    const broken = counting("broken", async () => {
      throw new Error("down");
    });
    const f = message(failing, 1);
    await consumeOutboxBatch(database.db, { queue: "bookra-outbox", messages: [f] }, options([broken, quiet]));
    expect(f.outcome).toMatchObject({ retryDelay: expect.any(Number) });
    expect(await completions(failing.outboxId)).toEqual(["quiet"]);
    expect(await row(failing.outboxId)).toMatchObject({ status: "failed", last_error: "broken: down" });
  });

  it("loads and marks the rows of a batch in groups, each message still acked for its own row", async () => {
    const first = await tenantWithEvent();
    const ids = [first.outboxId];
    for (let i = 0; i < 5; i++) {
      const outboxId = newId("evt");
      await database.admin(
        "INSERT INTO outbox (id, tenant_id, event_type, aggregate_id, payload) VALUES ($1, $2, 'booking.created', 'bkg_x', '{}')",
        [outboxId, first.tenantId],
      );
      ids.push(outboxId);
    }
    const other = await tenantWithEvent();
    const h = counting("h");
    const messages = [...ids.map((outboxId) => message({ outboxId, tenantId: first.tenantId })), message(other)];
    await consumeOutboxBatch(database.db, { queue: "bookra-outbox", messages }, { ...options([h]), concurrency: 7 });
    expect(messages.map((m) => m.outcome)).toEqual(new Array(7).fill("acked"));
    expect(h.runs).toBe(7);
    for (const id of [...ids, other.outboxId]) expect(await row(id)).toMatchObject({ status: "done", attempts: 1 });
  });

  it("a dead letter marks the row dead with its last error; a done row stays done", async () => {
    const failed = await tenantWithEvent();
    await database.admin(
      "UPDATE outbox SET status = 'failed', attempts = 9, last_error = 'calendar: 503' WHERE id = $1",
      [failed.outboxId],
    );
    const done = await tenantWithEvent();
    await database.admin("UPDATE outbox SET status = 'done' WHERE id = $1", [done.outboxId]);
    const messages = [message(failed, 9), message(done, 9), message({ nonsense: true })];
    await consumeOutboxBatch(database.db, { queue: "bookra-outbox-dlq", messages }, options([]));
    expect(messages.map((m) => m.outcome)).toEqual(["acked", "acked", "acked"]);
    expect(await row(failed.outboxId)).toMatchObject({ status: "dead", last_error: "calendar: 503" });
    expect((await row(failed.outboxId)).processed_at).not.toBeNull();
    expect(await row(done.outboxId)).toMatchObject({ status: "done" });
  });

  it("acks messages for rows that do not exist (or belong to no visible tenant) and malformed ones", async () => {
    const { tenantId } = await tenantWithEvent();
    const other = await tenantWithEvent();
    const h = counting("h");
    const messages = [
      message({ outboxId: newId("evt"), tenantId }),
      message({ outboxId: other.outboxId, tenantId }),
      message("junk"),
    ];
    await consumeOutboxBatch(database.db, { queue: "bookra-outbox", messages }, options([h]));
    expect(messages.map((m) => m.outcome)).toEqual(["acked", "acked", "acked"]);
    expect(h.runs).toBe(0);
    expect(await row(other.outboxId)).toMatchObject({ status: "pending", attempts: 0 }); // RLS: another tenant's row is invisible
  });
});

describe("retry backoff", () => {
  it("is full jitter under an exponential ceiling, capped", () => {
    const policy = { baseSeconds: 2, capSeconds: 300 };
    expect([1, 2, 3, 4].map((n) => retryDelaySeconds(n, policy, () => 0.999999))).toEqual([2, 4, 8, 16]);
    expect(retryDelaySeconds(20, policy, () => 0.999999)).toBe(300);
    expect(retryDelaySeconds(5, policy, () => 0)).toBe(0);
    for (let i = 0; i < 200; i++) {
      const d = retryDelaySeconds(1 + (i % 12), policy);
      expect(Number.isInteger(d) && d >= 0 && d <= 300).toBe(true);
    }
  });
});
