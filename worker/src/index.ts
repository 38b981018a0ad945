// The Worker entry: HTTP API (fetch), outbox consumer (queue) and sweeper (scheduled).
import { createApp } from "./app.ts";
import { Database } from "./db/client.ts";
import type { Env } from "./env.ts";
import type { ServiceConfig } from "./services/context.ts";
import { consumeOutboxBatch } from "./outbox/consumer.ts";
import { type QueueSender, sweepOutbox } from "./outbox/relay.ts";
import { sweepLapsedHolds } from "./services/bookings/expire.ts";

let cached: { env: Env; app: ReturnType<typeof createApp> } | undefined;

/** Workers must not share sockets across requests (the Neon driver's guidance): a Pool per request or batch. */
function openDatabase(env: Env): Database {
  return new Database({ databaseUrl: env.DATABASE_URL, wsProxy: env.DB_WS_PROXY, maxConnections: 4 });
}

function appFor(env: Env) {
  if (cached?.env !== env) {
    cached = {
      env,
      app: createApp({
        database: () => {
          const db = openDatabase(env);
          return { db, release: () => db.close() };
        },
        now: () => new Date(),
        config: configOf(env),
      }),
    };
  }
  return cached.app;
}

function configOf(env: Env): ServiceConfig {
  if (!env.MANAGE_TOKEN_SECRET || env.MANAGE_TOKEN_SECRET.length < 32)
    throw new Error("MANAGE_TOKEN_SECRET must be set (a Worker secret of at least 32 characters)");
  return { manageTokenSecret: env.MANAGE_TOKEN_SECRET, publicBaseUrl: env.PUBLIC_BASE_URL ?? "" };
}

function queueOf(env: Env): QueueSender {
  if (!env.OUTBOX_QUEUE) throw new Error("OUTBOX_QUEUE binding is missing");
  return env.OUTBOX_QUEUE;
}

export default {
  fetch(request, env, ctx) {
    return appFor(env).fetch(request, env, ctx);
  },
  async queue(batch, env) {
    const db = openDatabase(env);
    try {
      await consumeOutboxBatch(db, batch);
    } finally {
      await db.close();
    }
  },
  async scheduled(_controller, env) {
    const db = openDatabase(env);
    try {
      const expired = await sweepLapsedHolds(db, new Date());
      const resent = await sweepOutbox(db, queueOf(env));
      if (resent + expired > 0) console.log(JSON.stringify({ level: "info", msg: "sweep", expired, resent }));
    } finally {
      await db.close();
    }
  },
} satisfies ExportedHandler<Env>;
