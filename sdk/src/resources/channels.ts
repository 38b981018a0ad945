// Admin channels: which customer notification channels are switched on.
import type { Body, Call, RequestOptions } from "../http.ts";

export const adminChannels = (call: Call) => ({
  /** @example const { whatsapp } = await admin.channels.get(); */
  get: (options?: RequestOptions) => call("GET /v1/admin/channels", {}, options),
  /** @example await admin.channels.set({ whatsapp: true }); */
  set: (input: Body<"PUT /v1/admin/channels">, options?: RequestOptions) =>
    call("PUT /v1/admin/channels", { body: input }, options),
});
