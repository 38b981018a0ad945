// Every admin route group, behind API-key authentication.
import type { App } from "../types.ts";
import { registerApiKeyRoutes } from "./api-keys.ts";
import { requireApiKey } from "./auth.ts";
import { registerBookingTimelineRoutes } from "./booking-timeline.ts";
import { registerBookingRoutes } from "./bookings.ts";
import { registerCalendarRoutes } from "./calendar.ts";
import { registerCustomerRoutes } from "./customers.ts";
import { registerOutboxRoutes } from "./outbox.ts";
import { registerServiceRoutes } from "./services.ts";
import { registerStaffRoutes } from "./staff.ts";
import { registerTenantRoutes } from "./tenant.ts";
import { registerWebhookDeliveryRoutes } from "./webhook-deliveries.ts";
import { registerWebhookEndpointRoutes } from "./webhook-endpoints.ts";

export function registerAdminRoutes(app: App): void {
  app.use("/v1/admin/*", requireApiKey);
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "Secret API key sk_…",
  });
  registerTenantRoutes(app);
  registerStaffRoutes(app);
  registerServiceRoutes(app);
  registerApiKeyRoutes(app);
  registerBookingRoutes(app);
  registerBookingTimelineRoutes(app);
  registerCustomerRoutes(app);
  registerCalendarRoutes(app);
  registerOutboxRoutes(app);
  registerWebhookEndpointRoutes(app);
  registerWebhookDeliveryRoutes(app);
}
