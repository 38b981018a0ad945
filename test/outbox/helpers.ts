// Outbox test kit: a recording queue for the in-process app, a local webhook receiver on 127.0.0.1, and an
// independent Standard Webhooks verifier written with node:crypto (not the worker's code).
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { beforeAll } from "vitest";
import { createApp } from "../../worker/src/app.ts";
import type { OutboxMessage } from "../../worker/src/outbox/messages.ts";
import type { QueueSender } from "../../worker/src/outbox/relay.ts";
import { TEST_DATA_KEYS, type TestApp } from "../helpers/app.ts";

export interface RecordingQueue extends QueueSender {
  sent: OutboxMessage[];
}

export function recordingQueue(): RecordingQueue {
  const sent: OutboxMessage[] = [];
  return {
    sent,
    sendBatch: async (messages) => {
      sent.push(...messages.map((m) => m.body));
    },
  };
}

/** Rebuilds useTestApp's app with an outbox queue, so the after-commit relay is observable. */
export function withOutboxQueue(t: TestApp): RecordingQueue {
  const queue = recordingQueue();
  beforeAll(() => {
    t.app = createApp({
      database: () => ({ db: t.database.db, release: async () => {} }),
      now: () => t.clock.now,
      config: {
        manageTokenSecret: "test-manage-token-secret-0123456789abcdef",
        publicBaseUrl: "http://bookra.test",
        dataKeys: TEST_DATA_KEYS,
      },
      outboxQueue: queue,
    });
  });
  return queue;
}

export interface ReceivedWebhook {
  path: string;
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  status: number;
  /** When the request arrived (before the answer's own delay): the sender was alive then. */
  at: number;
}

export interface Receiver {
  url: string;
  /** Requests as they arrive, before their answer is decided (an answer may be held back). */
  arrived: { path: string; id: string }[];
  /** Requests once answered, with the answer. */
  received: ReceivedWebhook[];
  /** Decides each answer (default 204); may wait first. */
  respond: (req: { path: string; id: string }) => number | Promise<number>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const r = { arrived: [], received: [] as ReceivedWebhook[], respond: () => 204 } as unknown as Receiver;
  const server: Server = createServer((req, res) => {
    const arrived = Date.now();
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const id = String(req.headers["webhook-id"] ?? "");
      const path = req.url ?? "/";
      r.arrived.push({ path, id });
      const status = await r.respond({ path, id });
      r.received.push({
        path,
        id,
        timestamp: String(req.headers["webhook-timestamp"] ?? ""),
        signature: String(req.headers["webhook-signature"] ?? ""),
        body: Buffer.concat(chunks).toString("utf8"),
        status,
        at: arrived,
      });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  r.close = () => new Promise<void>((ok) => server.close(() => ok()));
  return r;
}

/** Standard Webhooks verification, independently: HMAC-SHA256 over "id.timestamp.body" with the decoded secret. */
export function verifyStandardWebhook(
  secret: string,
  msg: { id: string; timestamp: string; signature: string; body: string },
): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${msg.id}.${msg.timestamp}.${msg.body}`).digest();
  return msg.signature.split(" ").some((part) => {
    const [version, sig] = part.split(",");
    if (version !== "v1" || !sig) return false;
    const given = Buffer.from(sig, "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
