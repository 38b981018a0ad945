// A minimal Chrome DevTools Protocol client over WebSocket, for profiling workerd through wrangler dev's inspector.
import WebSocket from "ws";

export interface CdpSession {
  send<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** Every event of `method` received from now on is passed to `fn`. */
  on(method: string, fn: (params: any) => void): void;
  close(): void;
}

/** The first target the inspector at 127.0.0.1:`port` lists (wrangler dev: the worker), as a CDP session. */
export async function connectInspector(port: number): Promise<CdpSession> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as { webSocketDebuggerUrl?: string }[];
  const url = targets.find((t) => t.webSocketDebuggerUrl)?.webSocketDebuggerUrl;
  if (!url) throw new Error(`the inspector on port ${port} lists no target: ${JSON.stringify(targets)}`);
  const ws = new WebSocket(url);
  await new Promise<void>((ok, fail) => {
    ws.once("open", () => ok());
    ws.once("error", fail);
  });
  let nextId = 1;
  const pending = new Map<number, { ok: (v: any) => void; fail: (e: Error) => void }>();
  const listeners = new Map<string, ((params: any) => void)[]>();
  ws.on("message", (data) => {
    const msg = JSON.parse(String(data)) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
      method?: string;
      params?: unknown;
    };
    if (msg.id !== undefined) {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) p?.fail(new Error(msg.error.message));
      else p?.ok(msg.result);
    } else if (msg.method) {
      for (const fn of listeners.get(msg.method) ?? []) fn(msg.params);
    }
  });
  ws.on("close", () => {
    for (const p of pending.values()) p.fail(new Error("inspector connection closed"));
    pending.clear();
  });
  return {
    send: (method, params = {}) =>
      new Promise((ok, fail) => {
        const id = nextId++;
        pending.set(id, { ok, fail });
        ws.send(JSON.stringify({ id, method, params }));
      }),
    on: (method, fn) => listeners.set(method, [...(listeners.get(method) ?? []), fn]),
    close: () => ws.close(),
  };
}
