// The customer's e-mails: confirmation, move, cancellation, expired hold and the 24 h reminder, each with the manage
// link; all but the reminder carry an .ics invitation (REQUEST, or CANCEL) for the booking's one stable event.
import type { Tx } from "../../db/client.ts";
import type { BookingContext } from "../../domain/booking-context.ts";
import { bookingUid, buildIcs } from "../../domain/ics.ts";
import { type CustomerNotice, customerEmail } from "../../domain/messages.ts";
import type { EffectHandler, OutboxEvent } from "../../outbox/types.ts";
import type { Providers } from "../../providers/index.ts";
import type { EmailAttachment } from "../../providers/types.ts";
import { bookingIdOf, eventTimes, icsSequence, loadBookingContext, manageUrl } from "../booking-context.ts";
import { CUSTOMER_EVENTS, customerNoticeFor, effectKey, stillRelevant } from "./notices.ts";

export const customerEmailHandler: EffectHandler<Providers> = {
  name: "customer-email",
  events: CUSTOMER_EVENTS,
  idle: (event, shared) => {
    const kind = customerNoticeFor(event);
    return !kind || !shared.booking || !stillRelevant(kind, shared.booking, event);
  },
  async run({ tx, event, providers, config, shared }) {
    const kind = customerNoticeFor(event);
    if (!kind) return;
    const c = shared ? shared.booking : await loadBookingContext(tx, bookingIdOf(event));
    if (!c || !stillRelevant(kind, c, event)) return;
    const times = eventTimes(event, c);
    const url = await manageUrl(config, c);
    const content = customerEmail(kind, c, { startsAt: times.startsAt, manageUrl: url });
    const attachments =
      kind === "reminder" || kind === "late_payment_refunded"
        ? []
        : [await invitation(tx, event, c, kind, { ...times, url, organizer: providers.email.senderAddress })];
    await providers.email.send({
      tenantId: event.tenantId,
      idempotencyKey: effectKey(event, customerEmailHandler.name),
      to: c.customer.email,
      fromName: c.tenant.name,
      ...content,
      attachments,
    });
  },
};

interface InvitationDetails {
  startsAt: Date;
  endsAt: Date;
  url: string;
  organizer: string;
}

async function invitation(
  tx: Tx,
  event: OutboxEvent,
  c: BookingContext,
  kind: CustomerNotice,
  d: InvitationDetails,
): Promise<EmailAttachment> {
  const cancel = kind === "cancelled" || kind === "expired";
  const method = cancel ? "CANCEL" : "REQUEST";
  const content = buildIcs({
    method,
    stampedAt: event.createdAt,
    events: [
      {
        uid: bookingUid(c.booking.id),
        sequence: await icsSequence(tx, c.booking.id, event),
        startsAt: d.startsAt,
        endsAt: d.endsAt,
        summary: `${c.service.name} at ${c.tenant.name}`,
        description: cancel ? "Cancelled" : `With ${c.staff.name}. Manage your booking: ${d.url}`,
        ...(cancel ? {} : { url: d.url }),
        status: cancel ? "CANCELLED" : "CONFIRMED",
        organizer: { name: c.tenant.name, email: d.organizer },
        attendee: { name: c.customer.name, email: c.customer.email },
      },
    ],
  });
  return {
    filename: cancel ? "cancel.ics" : "invite.ics",
    contentType: `text/calendar; charset=utf-8; method=${method}`,
    content,
  };
}
