// Issues the booking's invoice when it is confirmed, with the tenant's next gapless number (effects/invoices.ts).

import type { EffectHandler } from "../../outbox/types.ts";
import type { Providers } from "../../providers/index.ts";
import { bookingIdOf } from "../booking-context.ts";
import { issueInvoice } from "../invoices.ts";
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
