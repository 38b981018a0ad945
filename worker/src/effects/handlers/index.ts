// Every side-effect handler the outbox consumer runs (the tenant webhooks handler is registered beside these).

import type { EffectHandler } from "../../outbox/types.ts";
import type { Providers } from "../../providers/index.ts";
import type { PaymentsProvider } from "../../providers/stripe.ts";
import { stripeRefundProvider } from "../stripe-refunds.ts";
import { calendarHandler } from "./calendar.ts";
import { createCheckoutExpiryHandler } from "./checkout-expiry.ts";
import { customerEmailHandler } from "./customer-email.ts";
import { invoiceHandler } from "./invoice.ts";
import { createRefundHandler } from "./refund.ts";
import { staffNoticeHandler } from "./staff-notice.ts";
import { whatsAppHandler } from "./whatsapp.ts";

export const EFFECT_HANDLERS: EffectHandler<Providers>[] = [
  customerEmailHandler,
  staffNoticeHandler,
  whatsAppHandler,
  calendarHandler,
  invoiceHandler,
];

/**
 * The effects that call Stripe, given the payments provider (undefined without a Stripe key): refunds (they wait,
 * failing and retried, until a key is configured) and expiring a cancelled held booking's Checkout Session.
 */
export function paymentEffectHandlers(payments: PaymentsProvider | undefined): EffectHandler<unknown>[] {
  return [createRefundHandler(stripeRefundProvider(payments)), createCheckoutExpiryHandler(payments)];
}
