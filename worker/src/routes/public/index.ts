// Public routes: no secret, tenant by slug, CORS open (set in app.ts).
import type { App } from "../types.ts";
import { registerAvailabilityRoute } from "./availability.ts";
import { registerPublicBookingRoutes } from "./bookings.ts";
import { registerCatalogRoute } from "./catalog.ts";
import { resolvePublicTenant } from "./tenant.ts";

export function registerPublicRoutes(app: App): void {
  app.use("/v1/public/:tenant/*", resolvePublicTenant);
  registerCatalogRoute(app);
  registerAvailabilityRoute(app);
  registerPublicBookingRoutes(app);
}
