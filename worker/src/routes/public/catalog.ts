// GET /v1/public/{tenant}/catalog: services, staff and branding for the widget.
import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app.ts";
import { Catalog, TenantSlugParam } from "../../schemas/catalog.ts";
import { errorResponses, jsonResponse } from "../../schemas/common.ts";
import { getCatalog } from "../../services/catalog/catalog.ts";
import { publicCtx } from "../context.ts";

const route = createRoute({
  method: "get",
  path: "/v1/public/{tenant}/catalog",
  tags: ["Public"],
  request: { params: TenantSlugParam },
  responses: { 200: jsonResponse(Catalog, "The public catalog"), ...errorResponses(404) },
});

export function registerCatalogRoute(app: App): void {
  app.openapi(route, async (c) => {
    c.header("Cache-Control", "public, max-age=30");
    return c.json(await getCatalog({ ctx: publicCtx(c) }), 200);
  });
}
