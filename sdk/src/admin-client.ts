// The admin client, `createBookraAdmin`, for servers: every admin resource of the API key's tenant; and signup.
import { IDEMPOTENT_OPERATIONS } from "./generated/idempotent.ts";
import { type Body, type Call, type ClientOptions, createCall, type RequestOptions } from "./http.ts";
import { adminApiKeys } from "./resources/api-keys.ts";
import { adminBookings } from "./resources/bookings.ts";
import { adminChannels } from "./resources/channels.ts";
import { adminDashboardResources } from "./resources/dashboard.ts";
import { adminInvitations } from "./resources/invitations.ts";
import { adminLedger } from "./resources/ledger.ts";
import { adminOutbox } from "./resources/outbox.ts";
import { adminPayments } from "./resources/payments.ts";
import { adminPayouts, adminReconciliation } from "./resources/reconciliation.ts";
import { adminReports } from "./resources/reports.ts";
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

/**
 * The admin client for servers: every admin resource of the tenant the API key belongs to.
 * @example
 * const admin = createBookraAdmin({ baseUrl: "http://127.0.0.1:8787", apiKey: process.env.BOOKRA_API_KEY! });
 * for await (const b of admin.bookings.list({ from: "2027-03-01T00:00:00Z" })) console.log(b.id);
 */
export function createBookraAdmin(options: AdminClientOptions): AdminResources {
  if (typeof options.apiKey !== "string" || !options.apiKey.startsWith("sk_"))
    throw new TypeError("createBookraAdmin needs a secret API key (sk_…)");
  if (typeof (globalThis as { document?: unknown }).document !== "undefined" && !options.dangerouslyAllowBrowser)
    throw new TypeError("createBookraAdmin runs on servers: in a browser its secret key would be exposed");
  return adminResources(createCall(options, { apiKey: options.apiKey, idempotent: IDEMPOTENT_OPERATIONS }));
}

/** Every admin resource over one transport (an API key here; the session cookie in dashboard-client.ts). */
export type AdminResources = ReturnType<typeof adminResources>;

export function adminResources(call: Call) {
  return {
    tenant: adminTenant(call),
    staff: adminStaff(call),
    services: adminServices(call),
    bookings: adminBookings(call),
    apiKeys: adminApiKeys(call),
    outbox: adminOutbox(call),
    webhookEndpoints: adminWebhookEndpoints(call),
    channels: adminChannels(call),
    ...adminDashboardResources(call),
    invitations: adminInvitations(call),
    ledger: adminLedger(call),
    payments: adminPayments(call),
    reports: adminReports(call),
    payouts: adminPayouts(call),
    reconciliation: adminReconciliation(call),
  };
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
