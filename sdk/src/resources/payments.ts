// Admin payments (owner only): the business's Stripe connection (Connect) and its onboarding link.
import type { Call, RequestOptions } from "../http.ts";

export const adminPayments = (call: Call) => ({
  /**
   * Whether Stripe is connected, whether it can take charges and pay out, and what Stripe still needs.
   * @example const { chargesEnabled, requirements } = await admin.payments.get();
   */
  get: (options?: RequestOptions) => call("GET /v1/admin/payments", {}, options),
  /**
   * A Stripe onboarding URL (the connected account is created on the first call, a new link on every call).
   * @example const { url } = await admin.payments.connect(); // send the owner there
   */
  connect: (options?: RequestOptions) => call("POST /v1/admin/payments/connect", {}, options),
});
