// WhatsApp messages to the customer, when they gave a phone number, opted in when booking (whatsappOptIn, stored
// with the booking) and the tenant switched the channel on (tenant_channels.whatsapp). Same notices as e-mail except
// the expired hold.
import { eq } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { tenantChannels } from "../../db/schema/index.ts";
import type { BookingContext } from "../../domain/booking-context.ts";
import { whatsAppNotice } from "../../domain/messages.ts";
import type { EffectHandler, OutboxEvent } from "../../outbox/types.ts";
import type { Providers } from "../../providers/index.ts";
import { bookingIdOf, eventTimes, loadBookingContext, manageUrl } from "../booking-context.ts";
import { CUSTOMER_EVENTS, customerNoticeFor, effectKey, LATE_PAYMENT_REFUNDED, stillRelevant } from "./notices.ts";

export const whatsAppHandler: EffectHandler<Providers> = {
  name: "whatsapp",
  events: CUSTOMER_EVENTS.filter((t) => t !== "booking.expired" && t !== LATE_PAYMENT_REFUNDED),
  idle: (event, shared) => !shared.whatsappEnabled || noticeFor(event, shared.booking) === null,
  async run({ tx, event, providers, config, shared }) {
    if (!whatsAppKind(event)) return;
    if (!(shared ? shared.whatsappEnabled : await whatsAppEnabled(tx, event.tenantId))) return;
    const c = shared ? shared.booking : await loadBookingContext(tx, bookingIdOf(event));
    const notice = noticeFor(event, c);
    if (!notice || !c) return;
    const message = whatsAppNotice(notice.kind, c, {
      startsAt: eventTimes(event, c).startsAt,
      manageUrl: await manageUrl(config, c),
    });
    await providers.whatsapp.send({
      tenantId: event.tenantId,
      idempotencyKey: effectKey(event, whatsAppHandler.name),
      to: notice.phone,
      ...message,
    });
  },
};

function whatsAppKind(event: OutboxEvent) {
  const kind = customerNoticeFor(event);
  return kind === null || kind === "expired" || kind === "late_payment_refunded" ? null : kind;
}

/** The notice this event means for the customer on WhatsApp and their number, or null when there is none to send. */
function noticeFor(event: OutboxEvent, c: BookingContext | null) {
  const kind = whatsAppKind(event);
  if (!kind) return null;
  const phone = c?.customer.phone?.replace(/\D/g, "") ?? "";
  if (!c?.booking.whatsappOptIn || phone.length < 6 || !stillRelevant(kind, c, event)) return null;
  return { kind, phone };
}

async function whatsAppEnabled(tx: Tx, tenantId: string): Promise<boolean> {
  const [channels] = await tx
    .select({ whatsapp: tenantChannels.whatsapp })
    .from(tenantChannels)
    .where(eq(tenantChannels.tenantId, tenantId));
  return channels?.whatsapp === true;
}
