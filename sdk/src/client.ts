// The public client, `createBookra`, for browsers and custom frontends: the public API only, never a secret key.
// A plain object of resources over one transport (the admin client lives in admin-client.ts).
import { PUBLIC_IDEMPOTENT_OPERATIONS } from "./generated/idempotent.ts";
import { type ClientOptions, createCall } from "./http.ts";
import { publicAvailability } from "./resources/availability.ts";
import { publicBookings } from "./resources/bookings.ts";
import { publicCatalog } from "./resources/catalog.ts";

export interface PublicClientOptions extends ClientOptions {
  /** The business's slug, e.g. `demo-salon`. */
  tenant: string;
}

/**
 * The public client: catalog, availability and the customer's own bookings. Safe to ship to browsers; it refuses
 * secret keys (`sk_…`) so that one never ends up in a page.
 * @example
 * const bookra = createBookra({ baseUrl: "http://127.0.0.1:8787", tenant: "demo-salon" });
 * const { services } = await bookra.catalog.get();
 */
export function createBookra(options: PublicClientOptions) {
  if (/\bsk_[0-9a-z]{8}/i.test(JSON.stringify(options)))
    throw new TypeError(
      "createBookra is the public client: never give it a secret API key (sk_…); use createBookraAdmin on a server",
    );
  const { tenant } = options;
  if (!tenant) throw new TypeError("createBookra needs the business's slug as `tenant`");
  const call = createCall(options, { idempotent: PUBLIC_IDEMPOTENT_OPERATIONS });
  return {
    catalog: publicCatalog(call, tenant),
    availability: publicAvailability(call, tenant),
    bookings: publicBookings(call, tenant),
  };
}

export type Bookra = ReturnType<typeof createBookra>;
