// Every side-effect handler the outbox consumer runs (the tenant webhooks handler is registered beside these).
import type { Providers } from "../../providers/index.ts";
import type { EffectHandler } from "../types.ts";
import { calendarHandler } from "./calendar.ts";
import { customerEmailHandler } from "./customer-email.ts";
import { invoiceHandler } from "./invoice.ts";
import { staffNoticeHandler } from "./staff-notice.ts";
import { whatsAppHandler } from "./whatsapp.ts";

export const EFFECT_HANDLERS: EffectHandler<Providers>[] = [
  customerEmailHandler,
  staffNoticeHandler,
  whatsAppHandler,
  calendarHandler,
  invoiceHandler,
];
