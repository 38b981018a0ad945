// The dashboard's pages: GET /app/* answers with its index.html (from Workers static assets), so a deep link or a
// reload of /app/calendar opens the app on that page, with the strict CSP of every HTML page (page-headers.ts). Its
// hashed files under /app/assets/ are served by static assets directly (wrangler.toml run_worker_first excludes them).
import { AppError, NotFound } from "../errors.ts";
import type { App } from "./types.ts";

/** The app's index.html in the static-assets folder (scripts/build-assets.ts puts the dashboard under app/). */
const INDEX_PATH = "/app/";

export function registerDashboardRoutes(app: App): void {
  app.get("/app", (c) => c.redirect("/app/", 308));
  app.get("/app/*", async (c) => {
    // a missing hashed file is a 404, never the page (a stale tab must not run HTML as a script)
    if (c.req.path.startsWith("/app/assets/")) throw new NotFound("File");
    const assets = c.var.deps.assets;
    if (!assets) throw new AppError("NOT_FOUND", "The dashboard is not built into this deployment (npm run build)");
    const res = await assets.fetch(new Request(new URL(INDEX_PATH, c.req.url)));
    if (!res.ok) throw new AppError("NOT_FOUND", "The dashboard is not built into this deployment (npm run build)");
    // A new deployment's index.html names new hashed files: always revalidate it.
    return c.html(await res.text(), 200, { "cache-control": "no-cache", "x-robots-tag": "noindex" });
  });
}
