// The admin client, `createBookraAdmin`: for servers with an API key, or for the dashboard in the browser with the
// signed-in user's session cookie; every admin resource of the tenant; and signup.
import { IDEMPOTENT_OPERATIONS } from "./generated/idempotent.ts";
import { type Body, type ClientOptions, createCall, type RequestOptions } from "./http.ts";
import { adminApiKeys } from "./resources/api-keys.ts";
import { adminAuth } from "./resources/auth.ts";
import { adminBookings } from "./resources/bookings.ts";
import { adminCalendar } from "./resources/calendar.ts";
import { adminChannels } from "./resources/channels.ts";
import { loose } from "./resources/loose.ts";
import { adminOutbox } from "./resources/outbox.ts";
import { adminServices } from "./resources/services.ts";
import { adminStaff } from "./resources/staff.ts";
import { adminTenant } from "./resources/tenant.ts";
import { adminWebhookEndpoints } from "./resources/webhook-endpoints.ts";
export interface AdminClientOptions extends ClientOptions {
  /** A secret API key (`sk_…`): keep it on servers. */
  apiKey: string;
  /** The admin client refuses to run in a browser page, where its key would be public. */
  dangerouslyAllowBrowser?: boolean;
}

/** The dashboard's client: the signed-in user's session cookie instead of a key, on the page's own origin. */
export interface SessionClientOptions extends Partial<ClientOptions> {
  session: true;
}

/**
 * The admin client: every admin resource of the tenant. On a server, with the tenant's API key; in the dashboard,
 * with `session: true`, authorised by the session cookie (`auth.signIn` sets it; no bearer token is sent, so no secret
 * lives in the page) against the page's origin unless `baseUrl` says otherwise.
 * @example
 * const admin = createBookraAdmin({ baseUrl: "http://127.0.0.1:8787", apiKey: process.env.BOOKRA_API_KEY! });
 * for await (const b of admin.bookings.list({ from: "2027-03-01T00:00:00Z" })) console.log(b.id);
 * @example
 * // in the dashboard (same origin as the API)
 * const admin = createBookraAdmin({ session: true });
 * const { user, role } = await admin.auth.session();
 */
export function createBookraAdmin(options: AdminClientOptions | SessionClientOptions) {
  const call = "session" in options && options.session === true ? sessionCall(options) : keyCall(options);
  return {
    tenant: adminTenant(call),
    staff: adminStaff(call),
    services: adminServices(call),
    bookings: adminBookings(call),
    calendar: adminCalendar(loose(call)),
    auth: adminAuth(loose(call)),
    apiKeys: adminApiKeys(call),
    outbox: adminOutbox(call),
    webhookEndpoints: adminWebhookEndpoints(call),
    channels: adminChannels(call),
  };
}

function keyCall(options: AdminClientOptions | SessionClientOptions) {
  const { apiKey } = options as AdminClientOptions;
  if (typeof apiKey !== "string" || !apiKey.startsWith("sk_"))
    throw new TypeError("createBookraAdmin needs a secret API key (sk_…) or `session: true`");
  if (
    typeof (globalThis as { document?: unknown }).document !== "undefined" &&
    !(options as AdminClientOptions).dangerouslyAllowBrowser
  )
    throw new TypeError("createBookraAdmin runs on servers: in a browser its secret key would be exposed");
  return createCall(options as AdminClientOptions, { apiKey, idempotent: IDEMPOTENT_OPERATIONS });
}

function sessionCall(options: SessionClientOptions) {
  if ("apiKey" in options) throw new TypeError("createBookraAdmin: a session client takes no API key");
  const origin = (globalThis as { location?: { origin?: string } }).location?.origin;
  const baseUrl = options.baseUrl ?? origin;
  if (!baseUrl) throw new TypeError("createBookraAdmin({ session: true }) needs a baseUrl outside a browser page");
  return createCall({ ...options, baseUrl }, { idempotent: IDEMPOTENT_OPERATIONS, credentials: "same-origin" });
}

export type BookraAdmin = ReturnType<typeof createBookraAdmin>;

/**
 * Creates a business (tenant) and its owner; the returned `apiKey` is shown only now.
 * @example
 * const { tenant, apiKey } = await signup({ businessName: "Cuts", slug: "cuts", timezone: "Europe/London",
 *   currency: "GBP", ownerEmail: "me@cuts.example", ownerPassword: "a long passphrase" }, { baseUrl });
 */
export function signup(input: Body<"POST /v1/signup">, options: ClientOptions & RequestOptions) {
  return createCall(options, { idempotent: IDEMPOTENT_OPERATIONS })("POST /v1/signup", { body: input }, options);
}
