// A tiny static server for the demo host page, on its own origin (another port than the API), so the widget runs
// cross-origin exactly as on a customer's website. `__BOOKRA_API__` in .html files becomes the API's origin.
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve } from "node:path";

const DIR = resolve(import.meta.dirname);
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css",
  ".js": "text/javascript",
};

export interface DemoHost {
  url: string;
  close(): Promise<void>;
}

export async function startDemoHost(opts: {
  apiBaseUrl: string;
  port?: number;
  host?: string;
  /** Extra pages by path (tests), with the same placeholder substitution. */
  pages?: Record<string, string>;
}): Promise<DemoHost> {
  const fill = (html: string) => html.replaceAll("__BOOKRA_API__", opts.apiBaseUrl);
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const extra = opts.pages?.[path];
    if (extra !== undefined) {
      res.writeHead(200, { "content-type": TYPES[".html"], "cache-control": "no-store" }).end(fill(extra));
      return;
    }
    const file = normalize(join(DIR, path === "/" ? "index.html" : path));
    const type = TYPES[extname(file)];
    if (!file.startsWith(DIR) || !type) {
      res.writeHead(404).end("Not found");
      return;
    }
    try {
      const body = await readFile(file, "utf8");
      res
        .writeHead(200, { "content-type": type, "cache-control": "no-store" })
        .end(type === TYPES[".html"] ? fill(body) : body);
    } catch {
      res.writeHead(404).end("Not found");
    }
  });
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((ok, fail) => server.once("error", fail).listen(opts.port ?? 0, host, ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}
