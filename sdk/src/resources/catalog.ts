// Public catalog: the services, staff and branding a booking page shows.
import type { Call, RequestOptions } from "../http.ts";

export const publicCatalog = (call: Call, tenant: string) => ({
  /**
   * The tenant's public catalog (never e-mails, commissions or notes).
   * @example
   * const { tenant, services, staff } = await bookra.catalog.get();
   */
  get: (options?: RequestOptions) => call("GET /v1/public/{tenant}/catalog", { path: { tenant } }, options),
});
