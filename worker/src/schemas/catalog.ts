// The public catalog: what the widget and custom frontends may show (never e-mails, commissions or notes).
import { z } from "@hono/zod-openapi";
import { Money } from "./common.ts";
import { Branding, BusinessProfile, Slug } from "./tenant.ts";

export const PublicService = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    durationMinutes: z.number().int(),
    price: Money,
    deposit: z.union([z.object({ percent: z.number().int() }), z.object({ amount: z.number().int() })]).nullable(),
    staffIds: z.array(z.string()),
    bookableOnline: z.boolean().openapi({
      description:
        "False while the service asks for a deposit and the business cannot take payments online yet: booking it answers 409 `PAYMENTS_NOT_READY` (contact the business instead)",
    }),
  })
  .openapi("PublicService");

export const PublicStaff = z
  .object({
    id: z.string(),
    name: z.string(),
    serviceIds: z.array(z.string()),
    photoUrl: z.string().nullable(),
    bio: z.string().nullable(),
  })
  .openapi("PublicStaff");

export const Catalog = z
  .object({
    tenant: z.object({ slug: Slug, name: z.string(), timezone: z.string(), currency: z.string(), branding: Branding }),
    profile: BusinessProfile,
    cancellationPolicy: z
      .object({
        freeUntilHours: z.number().int(),
        lateKeepPercent: z.number().int(),
        noShowKeepPercent: z.number().int(),
      })
      .openapi("PublicCancellationPolicy", {
        description: "What a cancellation or no-show keeps of what was paid (shown before paying)",
      }),
    services: z.array(PublicService),
    staff: z.array(PublicStaff),
  })
  .openapi("Catalog");
export type Catalog = z.infer<typeof Catalog>;

export const TenantSlugParam = z.object({
  tenant: z
    .string()
    .max(64)
    .openapi({ param: { name: "tenant", in: "path" }, example: "demo-salon" }),
});
