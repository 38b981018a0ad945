// What the worker sends to Postgres during a call, on both of the driver's paths: statements over the WebSocket Pool
// (each client.query call) and SQL-over-HTTP requests (neonConfig.fetchFunction: each request, its statements shown as
// one `BEGIN; …; COMMIT` text when it is a transaction). A rewrite, when given, changes each statement's text before
// it is sent, to prove what the database does with a call the worker would never make.
import { neonConfig } from "@neondatabase/serverless";
import type { Database } from "../../worker/src/db/client.ts";

export async function sqlTraffic<T>(
  db: Database,
  fn: () => Promise<T>,
  rewrite: (text: string) => string = (text) => text,
): Promise<{ result: T; sent: string[] }> {
  const sent: string[] = [];
  const restore: (() => void)[] = [];
  const wrapped = new WeakSet<object>();
  const onAcquire = (client: { query: (...args: unknown[]) => unknown }) => {
    if (wrapped.has(client)) return; // acquired again: already watched
    wrapped.add(client);
    const query = client.query;
    client.query = function (this: unknown, ...args: unknown[]) {
      const first = args[0];
      if (typeof first === "string") args[0] = rewrite(first);
      else if (first && typeof first === "object" && "text" in first)
        args[0] = { ...first, text: rewrite((first as { text: string }).text) };
      const arg = args[0] as string | { text: string };
      sent.push(typeof arg === "string" ? arg : arg.text);
      return query.apply(this, args);
    };
    restore.push(() => {
      client.query = query;
    });
  };
  db.pool.on("acquire", onAcquire);
  const previousFetch = neonConfig.fetchFunction;
  neonConfig.fetchFunction = async (url: string, init: RequestInit) => {
    type Query = { query: string; params?: unknown[] };
    const body = JSON.parse(String(init.body)) as { queries?: Query[] } & Query;
    const queries = body.queries?.map((q) => ({ ...q, query: rewrite(q.query) }));
    const rewritten = queries ? { queries } : { ...body, query: rewrite(body.query) };
    sent.push(queries ? `BEGIN; ${queries.map((q) => q.query).join("; ")}; COMMIT` : rewrite(body.query));
    return ((previousFetch as typeof fetch | undefined) ?? fetch)(url, { ...init, body: JSON.stringify(rewritten) });
  };
  try {
    return { result: await fn(), sent };
  } finally {
    neonConfig.fetchFunction = previousFetch;
    db.pool.off("acquire", onAcquire);
    for (const r of restore) r();
  }
}
