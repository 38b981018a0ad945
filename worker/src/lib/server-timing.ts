// Local only (BOOKRA_SERVER_TIMING=on with BOOKRA_ENV=local): where a request's wall time goes besides CPU, as a
// Server-Timing header — waiting for a database connection, for statements, for the rate limiter — so a profile can
// split latency without changing behaviour. workerd's clock moves only across I/O, so these are I/O waits.
import type { Database } from "../db/client.ts";

type Callback = (...args: unknown[]) => void;

/** Work after the response (outbox relay, closing the Pool) of this isolate's requests so far: it cannot be in their own headers. */
const afterResponse = { ms: 0, count: 0 };

/** Named waits of one request: total milliseconds and how many. */
export class RequestTimings {
  private readonly spans = new Map<string, { ms: number; count: number }>();
  readonly startedAt = Date.now();
  /** Undoes the request's database instrumentation (set by the middleware). */
  undo?: () => void;

  add(name: string, ms: number): void {
    const s = this.spans.get(name) ?? { ms: 0, count: 0 };
    s.ms += ms;
    s.count += 1;
    this.spans.set(name, s);
  }

  async time<T>(name: string, work: () => Promise<T>): Promise<T> {
    const t0 = Date.now();
    try {
      return await work();
    } finally {
      this.add(name, Date.now() - t0);
    }
  }

  /** Records this request's work after its response (the isolate's running total, see `header`). */
  finishedAfterResponse(ms: number): void {
    afterResponse.ms += ms;
    afterResponse.count += 1;
  }

  /**
   * `app;dur=…` (the whole handler) then each wait: `db;dur=12;desc="3"` (desc = how many), and `after-total`: the
   * isolate's after-response time so far, all requests together (a reader takes the difference between two answers).
   */
  header(): string {
    const parts = [`app;dur=${Date.now() - this.startedAt}`];
    for (const [name, s] of this.spans) parts.push(`${name};dur=${s.ms};desc="${s.count}"`);
    parts.push(`after-total;dur=${afterResponse.ms};desc="${afterResponse.count}"`);
    return parts.join(", ");
  }
}

/** Times `run(cb)`, whose last argument may be a node-style callback (pg's Pool uses both styles). */
function timed(timings: RequestTimings, name: string, args: unknown[], run: (args: unknown[]) => unknown): unknown {
  const t0 = Date.now();
  const last = args[args.length - 1];
  if (typeof last === "function") {
    const cb = last as Callback;
    const done = (...res: unknown[]) => {
      timings.add(name, Date.now() - t0);
      cb(...res);
    };
    return run([...args.slice(0, -1), done]);
  }
  const p = run(args) as Promise<unknown>;
  return p.finally(() => timings.add(name, Date.now() - t0));
}

type Connectable = { connect: (...a: unknown[]) => unknown };

/**
 * Records `connect` (a pooled connection: the WebSocket, start-up, authentication), `db` (each query's wait on it)
 * and `http` (SQL over HTTP) until the returned function undoes it (a Database shared by requests, as in-process
 * tests have, is left as it was). A Pool made on first use (a `pool` getter) is instrumented when first asked for,
 * so a request that never needs one still builds none.
 */
export function instrumentDatabase(db: Database, timings: RequestTimings): () => void {
  const undos: (() => void)[] = [];
  const getter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(db), "pool")?.get;
  if (getter) {
    let seen: Connectable | undefined;
    Object.defineProperty(db, "pool", {
      configurable: true,
      get: () => {
        const pool = getter.call(db) as Connectable;
        if (pool !== seen) {
          seen = pool;
          undos.push(instrumentPool(pool, timings));
        }
        return pool;
      },
    });
    undos.push(() => delete (db as { pool?: unknown }).pool);
  } else {
    undos.push(instrumentPool(db.pool as unknown as Connectable, timings));
  }
  undos.push(instrumentHttp((db as unknown as { http?: HttpSql }).http, timings));
  return () => {
    for (const undo of undos.reverse()) undo();
  };
}

function instrumentPool(pool: Connectable, timings: RequestTimings): () => void {
  type Queryable = { query: (...a: unknown[]) => unknown };
  const originalConnect = pool.connect;
  const connect = originalConnect.bind(pool);
  const wrapped = new Map<Queryable, Queryable["query"]>();
  const wrapClient = (client: Queryable) => {
    if (!client || wrapped.has(client)) return client;
    const original = client.query;
    wrapped.set(client, original);
    const query = original.bind(client);
    client.query = (...args: unknown[]) => timed(timings, "db", args, (a) => query(...a));
    return client;
  };
  pool.connect = (...args: unknown[]) => {
    const last = args[args.length - 1];
    if (typeof last === "function") {
      const t0 = Date.now();
      return connect((err: unknown, client: never, done: unknown) => {
        timings.add("connect", Date.now() - t0);
        (last as Callback)(err, client && wrapClient(client), done);
      });
    }
    return (timed(timings, "connect", [], () => connect()) as Promise<never>).then((c) => wrapClient(c));
  };
  return () => {
    pool.connect = originalConnect;
    for (const [client, query] of wrapped) client.query = query;
  };
}

/** The parts of the Neon driver's `neon()` function a Database may keep for SQL over HTTP. */
interface HttpSql {
  query: (...a: unknown[]) => PromiseLike<unknown>;
  transaction: (...a: unknown[]) => Promise<unknown>;
}

/**
 * Records `http` (each SQL-over-HTTP request's wait): a transaction when called, a single query when awaited — it is
 * lazy, and a query only handed to `transaction` never runs on its own, so its `then` is what gets timed.
 */
export function instrumentHttp(http: HttpSql | undefined, timings: RequestTimings): () => void {
  if (!http || typeof http.query !== "function" || typeof http.transaction !== "function") return () => {};
  const { query, transaction } = http;
  http.transaction = (...args) => timed(timings, "http", [], () => transaction.apply(http, args)) as Promise<unknown>;
  http.query = (...args) => {
    const q = query.apply(http, args);
    const then = q.then.bind(q);
    return Object.assign(q, {
      // biome-ignore lint/suspicious/noThenProperty: the driver's query is a lazy thenable; awaiting it is the request
      then: (ok?: (v: unknown) => unknown, fail?: (e: unknown) => unknown) => {
        const t0 = Date.now();
        const stop = () => timings.add("http", Date.now() - t0);
        return then(
          (v) => {
            stop();
            return ok ? ok(v) : v;
          },
          (e) => {
            stop();
            if (fail) return fail(e);
            throw e;
          },
        );
      },
    });
  };
  return () => {
    http.query = query;
    http.transaction = transaction;
  };
}
