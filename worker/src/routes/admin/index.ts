// Every admin route group, behind authentication (an API key or a dashboard session) and the role table.
import type { App } from "../types.ts";
import { registerApiKeyRoutes } from "./api-keys.ts";
import { requireAdmin } from "./auth.ts";
import { registerBookingCompletionRoutes } from "./booking-completion.ts";
import { registerBookingTimelineRoutes } from "./booking-timeline.ts";
import { registerBookingRoutes } from "./bookings.ts";
import { registerCalendarRoutes } from "./calendar.ts";
import { registerCommissionRoutes } from "./commissions.ts";
import { registerCustomerRoutes } from "./customers.ts";
import { registerInvitationRoutes } from "./invitations.ts";
import { registerLedgerRoutes } from "./ledger.ts";
import { registerOutboxRoutes } from "./outbox.ts";
import { registerPaymentsAdminRoutes } from "./payments.ts";
import { registerReconciliationRoutes } from "./reconciliation.ts";
import { registerRefundRoutes } from "./refunds.ts";
import { registerReportRoutes } from "./reports.ts";
import { registerServiceRoutes } from "./services.ts";
import { registerStaffRoutes } from "./staff.ts";
import { registerTenantRoutes } from "./tenant.ts";
import { registerWebhookDeliveryRoutes } from "./webhook-deliveries.ts";
import { registerWebhookEndpointRoutes } from "./webhook-endpoints.ts";

export function registerAdminRoutes(app: App): void {
  app.use("/v1/admin/*", requireAdmin);
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description:
      "Secret API key sk_… (the owner's rights). The dashboard sends its session cookie `bookra_session` instead " +
      "(POST /v1/auth/sessions): the signed-in role's rights, and changes must carry the API's own `Origin`.",
  });
  registerTenantRoutes(app);
  registerStaffRoutes(app);
  registerServiceRoutes(app);
  registerApiKeyRoutes(app);
  registerBookingRoutes(app);
  registerBookingCompletionRoutes(app);
  registerBookingTimelineRoutes(app);
  registerCustomerRoutes(app);
  registerCalendarRoutes(app);
  registerOutboxRoutes(app);
  registerWebhookEndpointRoutes(app);
  registerWebhookDeliveryRoutes(app);
  registerInvitationRoutes(app);
  registerLedgerRoutes(app);
  registerCommissionRoutes(app);
  registerRefundRoutes(app);
  registerPaymentsAdminRoutes(app);
  registerReportRoutes(app);
  registerReconciliationRoutes(app);
}
