// A loopback WebSocket→TCP proxy so the production Neon driver can speak to a local Postgres (Neon's wsproxy protocol).
// Like Neon's own endpoint it pools server sessions (see pg-session-pool.ts), unless started with `pool: false`.
import type { AddressInfo } from "node:net";
import { createConnection } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { parseStartup, SessionPool } from "./pg-session-pool.ts";

export interface RunningProxy {
  port: number;
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);
/** A client that does not pipeline its password within this time is served without pooling. */
const STARTUP_WAIT_MS = 50;

export async function startWsProxy(port = 0, opts: { pool?: boolean } = {}): Promise<RunningProxy> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port, perMessageDeflate: false });
  await new Promise<void>((ok) => wss.once("listening", () => ok()));
  const pools = new Map<string, SessionPool>();
  wss.on("connection", (ws, req) => {
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
    port: (wss.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((ok) => {
        for (const client of wss.clients) client.terminate();
        for (const pool of pools.values()) pool.close();
        wss.close(() => ok());
      }),
  };
}

function servePooled(ws: WebSocket, pool: SessionPool, host: string, port: number): void {
  let hello = Buffer.alloc(0);
  let sink: { write(data: Buffer): void; detach(): void } | undefined;
  let decided = false;
  const fallback = setTimeout(() => decide(), STARTUP_WAIT_MS);
  const onMessage = (data: Buffer) => {
    if (sink) return sink.write(data);
    hello = Buffer.concat([hello, data]);
    if (parseStartup(hello)) decide();
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
