// Tenant settings: what the owner sees and edits, and the public subset the widget reads.
import { z } from "@hono/zod-openapi";
import { isReservedSlug, RESERVED_SLUGS, SLUG_PATTERN } from "../domain/slugs.ts";
import { checkOutboundUrl } from "../lib/public-url.ts";
import { Currency, Email, Name, nullable, TimeZone } from "./common.ts";

const HexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, "Expected a #RRGGBB colour");

export const Branding = z
  .object({
    primaryColor: HexColor.optional(),
    accentColor: HexColor.optional(),
    logoUrl: z
      .string()
      .url()
      .max(500)
      .refine((u) => u.startsWith("https://") || u.startsWith("http://"), { message: "http(s) URL" })
      .optional(),
    radius: z.number().int().min(0).max(32).optional(),
    font: z
      .string()
      .max(100)
      .regex(/^[\w\s,'"-]+$/, "Font family names only")
      .optional(),
  })
  .strict()
  .openapi("Branding");
export type Branding = z.infer<typeof Branding>;

/** An image URL shown to customers: https on a public host and the default port (lib/public-url.ts's rules). */
export const PublicImageUrl = z
  .string()
  .trim()
  .max(500)
  .superRefine((v, ctx) => {
    const checked = checkOutboundUrl(v, { allowLoopback: false });
    if (!v.startsWith("https://")) ctx.addIssue({ code: "custom", message: "Only https URLs" });
    else if (!checked.ok) ctx.addIssue({ code: "custom", message: checked.message });
  })
  .openapi({
    format: "uri",
    example: "https://example.com/logo.png",
    description: "https on a public host, ≤ 500 characters",
  });

/** Free text Postgres can store (no NUL), trimmed. */
const ProfileText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((v) => !v.includes("\u0000"), { message: "NUL characters are not allowed" });

export const ProfilePhone = z
  .string()
  .trim()
  .regex(/^(\+?[0-9 ()-]{6,20})?$/, "A phone number in international format, e.g. +44 20 7946 0958");

/** The business profile a widget may show: address, phone, about text and logo. */
export const BusinessProfile = z
  .object({
    address: z.string().nullable(),
    phone: z.string().nullable(),
    about: z.string().nullable(),
    logoUrl: z.string().nullable(),
  })
  .openapi("BusinessProfile");
export type BusinessProfile = z.infer<typeof BusinessProfile>;

export const BusinessProfilePatch = z
  .object({
    address: nullable(ProfileText(500)).optional(),
    phone: nullable(ProfilePhone).optional(),
    about: nullable(ProfileText(2000)).optional(),
    logoUrl: nullable(PublicImageUrl).optional(),
  })
  .strict()
  .openapi("BusinessProfilePatch");
export type BusinessProfilePatch = z.infer<typeof BusinessProfilePatch>;

const Percent = z.number().int().min(0).max(100);

/**
 * The cancellation and no-show policy (domain/refunds.ts). `lateRefundPercent` is the older name of
 * 100 − `lateKeepPercent`, still accepted and always answered; a policy naming both must agree.
 */
export const CancellationPolicyInput = z
  .object({
    freeUntilHours: z.number().int().min(0).max(720).openapi({
      description: "A customer's cancellation this many hours or more before the start refunds everything",
    }),
    lateKeepPercent: Percent.optional().openapi({
      description: "Percentage of what was paid a later cancellation keeps (default 100)",
    }),
    noShowKeepPercent: Percent.optional().openapi({
      description: "Percentage of what was paid a no-show keeps (default 100)",
    }),
    lateRefundPercent: Percent.optional().openapi({
      description: "Deprecated: 100 − lateKeepPercent (the refund of a later cancellation)",
    }),
  })
  .strict()
  .refine(
    (p) =>
      p.lateKeepPercent === undefined ||
      p.lateRefundPercent === undefined ||
      p.lateKeepPercent + p.lateRefundPercent === 100,
    { message: "lateKeepPercent and lateRefundPercent must add up to 100", path: ["lateKeepPercent"] },
  )
  .openapi("CancellationPolicy");
export type CancellationPolicyInput = z.infer<typeof CancellationPolicyInput>;

/**
 * The business's own rules. The platform fee is not one of them (the platform sets it: STRIPE_PLATFORM_FEE_BPS or the
 * operator's per-tenant column); naming `platformFeeBps` is an unknown key, 400 VALIDATION_FAILED like any other.
 */
export const Policies = z
  .object({
    holdMinutes: z.number().int().min(5).max(120).optional(),
    cancellation: CancellationPolicyInput.optional(),
    openHoldsPerEmail: z
      .number()
      .int()
      .min(1)
      .max(50)
      .optional()
      .openapi({ description: "Open unpaid deposit holds one customer e-mail may have (default 2)" }),
    openHoldsPerAddress: z
      .number()
      .int()
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: "Open unpaid deposit holds one client address may have (default 3)" }),
    reschedulesPerBooking: z
      .number()
      .int()
      .min(0)
      .max(50)
      .optional()
      .openapi({ description: "Times a customer may reschedule one booking (default 3)" }),
    commissionOnFees: z.boolean().optional().openapi({
      description:
        "Whether a late-cancellation or no-show fee kept earns the staff member commission by their rule (default false)",
    }),
  })
  .strict()
  .openapi("Policies");
export type Policies = z.infer<typeof Policies>;

export const Slug = z
  .string()
  .regex(SLUG_PATTERN, "3–48 lower-case letters, digits and hyphens")
  .openapi({ example: "demo-salon" });

/** A slug a new business may claim: not reserved (400 VALIDATION_FAILED, like any other invalid slug). */
export const NewSlug = Slug.refine((s) => !isReservedSlug(s), { message: "This slug is reserved" }).openapi({
  example: "demo-salon",
  description: `3–48 lower-case letters, digits and hyphens; not ${RESERVED_SLUGS.join(", ")}, nor anything starting "xn--" (400 VALIDATION_FAILED)`,
});

export const Tenant = z
  .object({
    id: z.string(),
    slug: Slug,
    name: z.string(),
    timezone: z.string(),
    currency: z.string(),
    branding: Branding,
    policies: Policies,
    profile: BusinessProfile,
    createdAt: z.string(),
  })
  .openapi("Tenant");
export type Tenant = z.infer<typeof Tenant>;

export const TenantPatch = z
  .object({
    name: Name.optional(),
    timezone: TimeZone.optional(),
    currency: Currency.optional(),
    branding: Branding.optional(),
    policies: Policies.optional(),
    profile: BusinessProfilePatch.optional(),
  })
  .strict()
  .openapi("TenantPatch");
export type TenantPatch = z.infer<typeof TenantPatch>;

export const SignupInput = z
  .object({
    businessName: Name,
    slug: NewSlug,
    timezone: TimeZone,
    currency: Currency,
    ownerEmail: Email,
    ownerPassword: z.string().min(10, "At least 10 characters").max(200),
  })
  .strict()
  .openapi("SignupInput");
export type SignupInput = z.infer<typeof SignupInput>;

export const SignupResult = z
  .object({
    tenant: Tenant,
    apiKey: z.string().openapi({ description: "Secret API key, shown once", example: "sk_…" }),
  })
  .openapi("SignupResult");
