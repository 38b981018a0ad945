// GET /v1/public/{tenant}/catalog: services, staff and branding for the widget, in one round trip to the database
// (the slug is resolved inside it), the data served from the edge cache while the catalog version is unchanged.
import { createRoute } from "@hono/zod-openapi";
import { Catalog, TenantSlugParam } from "../../schemas/catalog.ts";
import { errorResponses, jsonResponse } from "../../schemas/common.ts";
import { getCatalog } from "../../services/catalog/catalog.ts";
import { publicReadCtx } from "../context.ts";
import type { App } from "../types.ts";
import { PUBLIC_CACHE_CONTROL } from "./availability.ts";
import { CACHE_STATUS_HEADER, cacheStatusHeaders, cacheStatusOf } from "./cache-status.ts";

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
  responses: {
    200: { ...jsonResponse(Catalog, "The public catalog"), headers: cacheStatusHeaders },
    ...errorResponses(404),
  },
});

export function registerCatalogRoute(app: App): void {
  app.openapi(route, async (c) => {
    const { catalog, cache } = await getCatalog({
      ctx: publicReadCtx(c),
      scope: { slug: c.req.valid("param").tenant },
      cache: c.var.deps.publicReadCache,
    });
    c.header("Cache-Control", PUBLIC_CACHE_CONTROL); // set only on success: an error must not be cached
    c.header(CACHE_STATUS_HEADER, cacheStatusOf(cache));
    return c.json(catalog, 200);
  });
}
