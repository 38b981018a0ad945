// Issues the booking's invoice when it is confirmed, with the tenant's next gapless number (services/effects/invoices).
import type { Providers } from "../../providers/index.ts";
import { bookingIdOf } from "../../services/effects/booking-context.ts";
import { issueInvoice } from "../../services/effects/invoices.ts";
import type { EffectHandler } from "../types.ts";
import { isConfirmation } from "./notices.ts";

export const invoiceHandler: EffectHandler<Providers> = {
  name: "invoice",
  events: ["booking.created", "booking.confirmed"],
  idle: (event) => !isConfirmation(event),
  async run({ tx, event, now, config }) {
    if (!isConfirmation(event)) return;
    await issueInvoice(tx, { tenantId: event.tenantId, bookingId: bookingIdOf(event), now, config });
  },
};
