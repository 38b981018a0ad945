// What the loopback proxy has counted (scripts/lib/ws-proxy.ts, GET /_stats): for one database (and one
// application_name), the connections and round trips so far, and the proxy's server sessions now.
import type { ProxyStats } from "../../scripts/lib/ws-proxy.ts";

export interface ProxyReport extends ProxyStats {
  sessions: { open: number; idle: number; webSocketsOpen: number };
}

export async function proxyStats(port: number, database = "", application?: string): Promise<ProxyReport> {
  const query = new URLSearchParams({ database, ...(application !== undefined && { application }) });
  return (await (await fetch(`http://127.0.0.1:${port}/_stats?${query}`)).json()) as ProxyReport;
}
