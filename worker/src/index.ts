// The Worker entry: HTTP API (fetch), outbox consumer (queue) and sweeper (scheduled).
import { createApp } from "./app.ts";
import { Database } from "./db/client.ts";
import type { Env } from "./env.ts";

let cached: { env: Env; app: ReturnType<typeof createApp> } | undefined;

function appFor(env: Env) {
  if (cached?.env !== env) {
    cached = {
      env,
      app: createApp({
        // A Pool per request: Workers must not share sockets across requests (the Neon driver's guidance).
        database: () => {
          const db = new Database({ databaseUrl: env.DATABASE_URL, wsProxy: env.DB_WS_PROXY, maxConnections: 4 });
          return { db, release: () => db.close() };
        },
        now: () => new Date(),
        publicBaseUrl: env.PUBLIC_BASE_URL,
      }),
    };
  }
  return cached.app;
}

export default {
  fetch(request, env, ctx) {
    return appFor(env).fetch(request, env, ctx);
  },
  async queue(batch, env) {
    // The outbox consumer arrives with the outbox issue; until then every message is acknowledged and logged.
    for (const message of batch.messages) {
      console.log(JSON.stringify({ level: "info", queue: batch.queue, id: message.id }));
      message.ack();
    }
    void env;
  },
  async scheduled(controller, env, ctx) {
    void controller;
    void env;
    void ctx;
  },
} satisfies ExportedHandler<Env>;
