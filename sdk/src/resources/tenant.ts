// Admin tenant: the API key's own business settings.
import type { Body, Call, RequestOptions } from "../http.ts";

export const adminTenant = (call: Call) => ({
  /** @example const { name, timezone, policies } = await admin.tenant.get(); */
  get: (options?: RequestOptions) => call("GET /v1/admin/tenant", {}, options),
  /** @example await admin.tenant.update({ branding: { primaryColor: "#7c3aed" } }); */
  update: (input: Body<"PATCH /v1/admin/tenant">, options?: RequestOptions) =>
    call("PATCH /v1/admin/tenant", { body: input }, options),
});
