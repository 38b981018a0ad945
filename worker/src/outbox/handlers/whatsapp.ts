// WhatsApp messages to the customer, when they gave a phone number and the tenant switched the channel on
// (tenant_channels.whatsapp). Same notices as e-mail except the expired hold.
import { eq } from "drizzle-orm";
import type { Providers } from "../../providers/index.ts";
import { bookingIdOf, eventTimes, loadBookingContext, manageUrl } from "../../services/effects/booking-context.ts";
import { whatsAppNotice } from "../../services/effects/messages.ts";
import { tenantChannels } from "../../services/effects/schema.ts";
import type { EffectHandler } from "../types.ts";
import { CUSTOMER_EVENTS, customerNoticeFor, effectKey, stillRelevant } from "./notices.ts";

export const whatsAppHandler: EffectHandler<Providers> = {
  name: "whatsapp",
  events: CUSTOMER_EVENTS.filter((t) => t !== "booking.expired"),
  async run({ tx, event, providers, config }) {
    const kind = customerNoticeFor(event);
    if (!kind || kind === "expired") return;
    const [channels] = await tx
      .select({ whatsapp: tenantChannels.whatsapp })
      .from(tenantChannels)
      .where(eq(tenantChannels.tenantId, event.tenantId));
    if (!channels?.whatsapp) return;
    const c = await loadBookingContext(tx, bookingIdOf(event));
    const phone = c?.customer.phone?.replace(/\D/g, "") ?? "";
    if (!c || phone.length < 6 || !stillRelevant(kind, c, event)) return;
    const notice = whatsAppNotice(kind, c, {
      startsAt: eventTimes(event, c).startsAt,
      manageUrl: await manageUrl(config, c),
    });
    await providers.whatsapp.send({
      tenantId: event.tenantId,
      idempotencyKey: effectKey(event, whatsAppHandler.name),
      to: phone,
      ...notice,
    });
  },
};
