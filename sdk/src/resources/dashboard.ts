// The admin resources the dashboard added (issue 12), spread into the admin client in one line.
import type { Call } from "../http.ts";
import { adminBookingTimelines } from "./booking-timeline.ts";
import { adminCalendar } from "./calendar.ts";
import { adminCustomers } from "./customers.ts";
import { adminWebhookDeliveries } from "./webhook-deliveries.ts";

export const adminDashboardResources = (call: Call) => ({
  customers: adminCustomers(call),
  calendar: adminCalendar(call),
  bookingTimelines: adminBookingTimelines(call),
  webhookDeliveries: adminWebhookDeliveries(call),
});
