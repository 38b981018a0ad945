// Admin payments: the tenant's Stripe connection (Connect) and its onboarding link.
import { z } from "@hono/zod-openapi";

export const PaymentsState = z
  .object({
    connected: z.boolean().describe("Whether a Stripe connected account exists for the business"),
    accountId: z.string().nullable().describe("The connected account (`acct_…`), once created"),
    chargesEnabled: z.boolean().describe("Whether the account can take payments: until then deposits cannot be booked"),
    payoutsEnabled: z.boolean(),
    requirements: z.array(z.string()).describe("What Stripe still needs from the business (`currently_due`)"),
  })
  .openapi("PaymentsState");
export type PaymentsState = z.infer<typeof PaymentsState>;

export const ConnectResult = z
  .object({
    url: z.string().describe("Stripe's onboarding page for this business (single use, expires in minutes)"),
    state: PaymentsState,
  })
  .openapi("StripeConnectLink");
