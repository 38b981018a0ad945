// GET /v1/public/{tenant}/catalog: services, staff and branding for the widget.
import { createRoute } from "@hono/zod-openapi";
import { Catalog, TenantSlugParam } from "../../schemas/catalog.ts";
import { errorResponses, jsonResponse } from "../../schemas/common.ts";
import { getCatalog } from "../../services/catalog/catalog.ts";
import { publicCtx } from "../context.ts";
import type { App } from "../types.ts";
import { PUBLIC_CACHE_CONTROL } from "./availability.ts";

const route = createRoute({
  operationId: "getCatalog",
  summary: "Read a business's public catalog",
  description:
    "The business's public profile (name, time zone, currency, branding) with its bookable services and the staff who perform them: public fields only, never e-mail addresses, commission rates or internal notes.",
  security: [],
  method: "get",
  path: "/v1/public/{tenant}/catalog",
  tags: ["Public"],
  request: { params: TenantSlugParam },
  responses: { 200: jsonResponse(Catalog, "The public catalog"), ...errorResponses(404) },
});

export function registerCatalogRoute(app: App): void {
  app.openapi(route, async (c) => {
    const catalog = await getCatalog({ ctx: publicCtx(c) });
    c.header("Cache-Control", PUBLIC_CACHE_CONTROL); // set only on success: an error must not be cached
    return c.json(catalog, 200);
  });
}
