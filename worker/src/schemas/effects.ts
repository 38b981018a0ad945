// Side-effect resources on the wire: staff calendar feeds, channel settings, and the path inputs of the feed and
// invoice pages.
import { z } from "@hono/zod-openapi";

export const CalendarFeed = z
  .object({
    staffId: z.string(),
    url: z.string().openapi({ description: "Private iCalendar URL; shown once, replaced by the next issue" }),
    issuedAt: z.string(),
  })
  .openapi("CalendarFeed");
export type CalendarFeed = z.infer<typeof CalendarFeed>;

export const Channels = z
  .object({
    whatsapp: z.boolean().openapi({ description: "Send WhatsApp notices to customers who gave a phone number" }),
  })
  .strict()
  .openapi("Channels");
export type Channels = z.infer<typeof Channels>;

export const FeedParams = z.object({
  staffId: z.string().max(64),
  file: z
    .string()
    .max(100)
    .regex(/\.ics$/),
});

export const InvoiceParams = z.object({ invoiceId: z.string().max(64) });
export const InvoiceQuery = z.object({ token: z.string().max(100).default("") });
