// /app/*: the dashboard's index.html for every page of the app (deep links and reloads), from static assets, with
// the strict CSP of the HTML pages; its hashed files are never answered with the page.
import { describe, expect, it } from "vitest";
import { createApp } from "../app.ts";
import type { AppDeps } from "./types.ts";

const INDEX =
  '<!doctype html><html lang="en"><head><script type="module" src="/app/assets/index-0123abcd.js"></script></head><body><div id="app"></div></body></html>';

function appWith(assets: AppDeps["assets"]) {
  const asked: string[] = [];
  const app = createApp({
    database: () => {
      throw new Error("the dashboard's pages use no database");
    },
    now: () => new Date("2027-03-01T08:00:00Z"),
    config: {} as AppDeps["config"],
    assets: assets && {
      fetch: (req) => {
        asked.push(new URL(req.url).pathname);
        return assets.fetch(req);
      },
    },
  });
  return { app, asked };
}

interface ErrorBody {
  error: { code: string; message: string };
}

const staticAssets = {
  fetch: async (req: Request) =>
    new URL(req.url).pathname === "/app/"
      ? new Response(INDEX, { headers: { "content-type": "text/html" } })
      : new Response("nope", { status: 404 }),
};

describe("GET /app/*", () => {
  it.each(["/app/", "/app/today", "/app/calendar?view=week&date=2027-03-01", "/app/sign-in?next=%2Fcalendar"])(
    "%s answers with the dashboard's index.html under the strict page CSP",
    async (path) => {
      const { app, asked } = appWith(staticAssets);
      const res = await app.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await res.text()).toBe(INDEX);
      expect(asked).toEqual(["/app/"]);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("default-src 'none'");
      expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
      expect(csp).not.toContain("unsafe-inline");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("cache-control")).toBe("no-cache");
    },
  );

  it("/app redirects to /app/", async () => {
    const res = await appWith(staticAssets).app.request("/app");
    expect(res.status).toBe(308);
    expect(res.headers.get("location")).toBe("/app/");
  });

  it("a missing hashed file is a 404, not the page", async () => {
    const { app, asked } = appWith(staticAssets);
    const res = await app.request("/app/assets/index-deadbeef.js");
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorBody).error.code).toBe("NOT_FOUND");
    expect(asked).toEqual([]);
  });

  it("without the assets (not built, or no binding) it is a clear 404", async () => {
    for (const assets of [undefined, { fetch: async () => new Response("", { status: 404 }) }]) {
      const res = await appWith(assets).app.request("/app/today");
      expect(res.status).toBe(404);
      expect(((await res.json()) as ErrorBody).error.message).toMatch(/not built/);
    }
  });
});
