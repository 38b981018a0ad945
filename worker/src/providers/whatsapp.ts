// Real WhatsApp adapter: the Cloud API (`POST /{phone-number-id}/messages`) with an approved template, since the
// business starts these conversations. The API has no idempotency key; the key travels as biz_opaque_callback_data,
// which the status webhooks echo, so a duplicate can at least be recognised.
import { headerValue } from "../lib/header-value.ts";
import { expectOk, type Fetch } from "./http.ts";
import type { WhatsAppMessage, WhatsAppProvider } from "./types.ts";

export interface WhatsAppConfig {
  accessToken: string;
  phoneNumberId: string;
  /** Language code the templates were approved in, e.g. `en` or `en_GB`. */
  templateLanguage: string;
  fetch?: Fetch;
  baseUrl?: string;
}

export function whatsAppCloud(config: WhatsAppConfig): WhatsAppProvider {
  const doFetch = config.fetch ?? fetch;
  const url = `${config.baseUrl ?? "https://graph.facebook.com/v21.0"}/${encodeURIComponent(config.phoneNumberId)}/messages`;
  return {
    adapter: "whatsapp-cloud",
    async send(message: WhatsAppMessage): Promise<void> {
      const body = {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: message.to,
        type: "template",
        template: {
          name: message.template.name,
          language: { code: config.templateLanguage },
          components: [
            {
              type: "body",
              parameters: message.template.parameters.map((text) => ({ type: "text", text: headerValue(text) })),
            },
          ],
        },
        biz_opaque_callback_data: message.idempotencyKey,
      };
      const res = await doFetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${config.accessToken}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      await expectOk("whatsapp", "WhatsApp send", res);
    },
  };
}
