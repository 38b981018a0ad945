// A loopback WebSocket→TCP proxy so the production Neon driver can speak to a local Postgres (Neon's wsproxy protocol).

import type { AddressInfo } from "node:net";
import { createConnection } from "node:net";
import { WebSocketServer } from "ws";

export interface RunningProxy {
  port: number;
  /** Value for neonConfig.wsProxy: `host:port/v2` path the driver appends `?address=` to. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

export async function startWsProxy(port = 0): Promise<RunningProxy> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port, perMessageDeflate: false });
  await new Promise<void>((ok) => wss.once("listening", () => ok()));
  wss.on("connection", (ws, req) => {
    const url = new URL(req.url ?? "/", "http://proxy");
    const address = url.searchParams.get("address") ?? "";
    const sep = address.lastIndexOf(":");
    const host = address.slice(0, sep);
    const targetPort = Number(address.slice(sep + 1));
    if (!LOOPBACK.has(host) || !Number.isInteger(targetPort) || targetPort <= 0) {
      ws.close(1008, "only loopback targets are allowed");
      return;
    }
    const socket = createConnection({ host: host === "localhost" ? "127.0.0.1" : host, port: targetPort });
    socket.setNoDelay(true);
    const pending: Buffer[] = [];
    let connected = false;
    socket.on("connect", () => {
      connected = true;
      for (const chunk of pending) socket.write(chunk);
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
  });
  return {
    port: (wss.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((ok) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => ok());
      }),
  };
}
