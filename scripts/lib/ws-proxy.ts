// The loopback stand-in for Neon's endpoint, so the production driver speaks to a local Postgres both ways it can:
// WebSockets (Neon's wsproxy protocol, for interactive transactions; server sessions pooled as Neon's pooler does, see
// pg-session-pool.ts, unless started with `pool: false`) and SQL over HTTP (`POST /sql`, see sql-over-http.ts).
// It sees every byte between the worker and Postgres, so it counts, per database, the connections opened and the round
// trips made: `GET /_stats?database=NAME` (tests and the bench read the change across one request).
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createConnection } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { MessageStream, parseStartup, SessionPool, startupParams } from "./pg-session-pool.ts";
import { SqlOverHttp } from "./sql-over-http.ts";

export interface RunningProxy {
  port: number;
  /** What one database's clients (or those of one application_name) have cost so far (zero for one never seen). */
  stats(database: string, application?: string): ProxyStats;
  close(): Promise<void>;
}

/**
 * Counters per database. A round trip is one wait of the client for the server: a WebSocket's opening handshake, each
 * ReadyForQuery the server sends (the start-up's included: one per query or Sync the client waited on), each SQL-over-
 * HTTP request. A connection is a TCP connection accepted (a WebSocket, or an HTTP connection, kept alive or not),
 * counted for the database of its first request.
 */
export interface ProxyStats {
  connections: number;
  roundTrips: number;
  webSockets: number;
  httpRequests: number;
}

const zero = (): ProxyStats => ({ connections: 0, roundTrips: 0, webSockets: 0, httpRequests: 0 });

/** Who a client is, from its start-up packet or its connection string. */
export interface Client {
  database: string | null;
  application: string | null;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);
/** A client that does not pipeline its password within this time is served without pooling. */
const STARTUP_WAIT_MS = 50;

export async function startWsProxy(port = 0, opts: { pool?: boolean } = {}): Promise<RunningProxy> {
  const counters = new Map<string, ProxyStats>();
  const counter = (key: string) => {
    const c = counters.get(key) ?? zero();
    counters.set(key, c);
    return c;
  };
  /** The counters a client's traffic adds to: its database's, and its database's for its application_name. */
  const count = (client: Client): ProxyStats[] => [
    counter(client.database ?? ""),
    counter(`${client.database ?? ""}|${client.application ?? ""}`),
  ];
  const add = (client: Client, field: keyof ProxyStats) => {
    for (const c of count(client)) c[field]++;
  };
  /** Each TCP connection is counted once, for the client of its first request. */
  const counted = new WeakSet<Socket>();
  const countConnection = (socket: Socket, client: Client) => {
    if (counted.has(socket)) return;
    counted.add(socket);
    add(client, "connections");
  };
  const sqlOverHttp = new SqlOverHttp();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://proxy");
    if (req.method === "GET" && url.pathname === "/_stats") {
      const application = url.searchParams.get("application");
      const database = url.searchParams.get("database") ?? "";
      const sessions = { open: 0, idle: 0, webSocketsOpen: wss.clients.size };
      for (const pool of pools.values()) {
        const c = pool.sessionCounts();
        sessions.open += c.open;
        sessions.idle += c.idle;
      }
      const stats = counter(application === null ? database : `${database}|${application}`);
      const body = JSON.stringify({ ...stats, sessions });
      res.writeHead(200, { "content-type": "application/json" }).end(body);
      return;
    }
    if (req.method === "POST" && url.pathname === "/sql") {
      const client = SqlOverHttp.clientOf(req);
      countConnection(req.socket, client);
      add(client, "httpRequests");
      add(client, "roundTrips");
      void sqlOverHttp.handle(req, res);
      return;
    }
    res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ message: "not found" }));
  });
  server.keepAliveTimeout = 60_000;
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  await new Promise<void>((ok) => server.listen(port, "127.0.0.1", () => ok()));
  const pools = new Map<string, SessionPool>();
  wss.on("connection", (ws, req) => {
    const tally = new ConnectionTally(req, (client) => {
      countConnection(req.socket, client);
      add(client, "webSockets");
      add(client, "roundTrips"); // the opening handshake
      return count(client);
    });
    tally.watch(ws);
    const url = new URL(req.url ?? "/", "http://proxy");
    const address = url.searchParams.get("address") ?? "";
    const sep = address.lastIndexOf(":");
    const host = address.slice(0, sep) === "localhost" ? "127.0.0.1" : address.slice(0, sep);
    const targetPort = Number(address.slice(sep + 1));
    if (!LOOPBACK.has(host) || !Number.isInteger(targetPort) || targetPort <= 0) {
      ws.close(1008, "only loopback targets are allowed");
      return;
    }
    if ((opts.pool ?? process.env.BOOKRA_PROXY_POOL !== "0") === false) return pipeRaw(ws, host, targetPort, []);
    const pool = pools.get(address) ?? new SessionPool(host, targetPort);
    pools.set(address, pool);
    servePooled(ws, pool, host, targetPort);
  });
  return {
    port: (server.address() as AddressInfo).port,
    stats: (database, application) => ({
      ...counter(application === undefined ? database : `${database}|${application}`),
    }),
    close: async () => {
      for (const client of wss.clients) client.terminate();
      for (const pool of pools.values()) pool.close();
      await new Promise<void>((ok) => wss.close(() => ok()));
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      await sqlOverHttp.close();
    },
  };
}

/**
 * Counts one WebSocket client's round trips: the database is known from its start-up packet, and every ReadyForQuery
 * sent back to it ends one wait. (ws.send is wrapped, so pooled and raw sessions are counted alike.)
 */
class ConnectionTally {
  private stats: ProxyStats[] | undefined;
  private hello = Buffer.alloc(0);
  private readonly fromServer = new MessageStream((type) => {
    if (type === 0x5a /* 'Z' */ && this.stats) for (const c of this.stats) c.roundTrips++;
  });
  constructor(
    _req: IncomingMessage,
    private readonly open: (client: Client) => ProxyStats[],
  ) {}

  watch(ws: WebSocket): void {
    const onHello = (data: Buffer) => {
      if (this.stats) return;
      this.hello = Buffer.concat([this.hello, data]);
      const client = clientOfStartup(this.hello);
      if (client !== undefined || this.hello.length > 8192) {
        this.stats = this.open(client ?? { database: null, application: null });
        ws.off("message", onHello);
      }
    };
    ws.on("message", onHello);
    const send = ws.send.bind(ws);
    ws.send = ((data: Buffer, ...rest: unknown[]) => {
      if (Buffer.isBuffer(data)) this.fromServer.push(data);
      return (send as (...a: unknown[]) => void)(data, ...rest);
    }) as typeof ws.send;
  }
}

/** The database and application_name of a complete start-up packet (undefined while incomplete). */
function clientOfStartup(buf: Buffer): Client | undefined {
  const params = startupParams(buf);
  if (!params)
    return buf.length >= 8 && buf.length >= buf.readInt32BE(0) ? { database: null, application: null } : undefined;
  return { database: params.get("database") ?? null, application: params.get("application_name") ?? null };
}
function servePooled(ws: WebSocket, pool: SessionPool, host: string, port: number): void {
  let hello = Buffer.alloc(0);
  let sink: { write(data: Buffer): void; detach(): void } | undefined;
  let decided = false;
  // The wait for a pipelined password starts with the client's first bytes, not with the connection: on a busy
  // machine a client's start-up can arrive later than that, and it must still be pooled (unpooled, every such client
  // opened a Postgres session of its own, and a burst of them reached max_connections).
  let fallback: ReturnType<typeof setTimeout> | undefined;
  const onMessage = (data: Buffer) => {
    if (sink) return sink.write(data);
    hello = Buffer.concat([hello, data]);
    if (parseStartup(hello)) decide();
    else fallback ??= setTimeout(() => decide(), STARTUP_WAIT_MS);
  };
  const decide = () => {
    if (decided) return;
    decided = true;
    clearTimeout(fallback);
    const startup = parseStartup(hello);
    if (!startup) {
      ws.off("message", onMessage);
      return pipeRaw(ws, host, port, [hello]);
    }
    sink = pool.attach(startup.key, hello.subarray(0, startup.totalLength), {
      send: (data) => {
        if (ws.readyState === ws.OPEN) ws.send(data);
      },
      close: () => ws.close(),
    });
    const rest = hello.subarray(startup.totalLength);
    if (rest.length > 0) sink.write(rest);
  };
  ws.on("message", onMessage);
  const done = () => {
    clearTimeout(fallback);
    sink?.detach();
    sink = undefined;
  };
  ws.on("close", done);
  ws.on("error", done);
}

/** A plain byte pipe: one fresh server connection for this client. */
function pipeRaw(ws: WebSocket, host: string, port: number, pending: Buffer[]): void {
  const socket = createConnection({ host, port });
  socket.setNoDelay(true);
  let connected = false;
  socket.on("connect", () => {
    connected = true;
    for (const chunk of pending) if (chunk.length) socket.write(chunk);
    pending.length = 0;
  });
  ws.on("message", (data: Buffer) => {
    if (connected) socket.write(data);
    else pending.push(data);
  });
  socket.on("data", (chunk) => ws.send(chunk));
  const closeBoth = () => {
    socket.destroy();
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close();
  };
  socket.on("close", closeBoth);
  socket.on("error", closeBoth);
  ws.on("close", closeBoth);
  ws.on("error", closeBoth);
}
