// Real e-mail adapter: Resend's HTTP API (`POST /emails`), which deduplicates on the `Idempotency-Key` header for 24 h.
import { headerValue } from "../lib/header-value.ts";
import { base64Utf8, expectOk, type Fetch } from "./http.ts";
import type { EmailMessage, EmailProvider } from "./types.ts";

export interface ResendConfig {
  apiKey: string;
  /** `bookings@example.com` or `Bookra <bookings@example.com>`: the address is used, the name comes per tenant. */
  from: string;
  fetch?: Fetch;
  baseUrl?: string;
}

/** The bare address of `Name <address>` or `address`. */
function addressOf(from: string): string {
  return (/<([^<>\s]+@[^<>\s]+)>/.exec(from)?.[1] ?? from).trim();
}

/** A display name that cannot break out of the From header. */
function displayName(name: string): string {
  return headerValue(name.replace(/["<>\\]/g, " "), 100);
}

export function resendEmail(config: ResendConfig): EmailProvider {
  const doFetch = config.fetch ?? fetch;
  const senderAddress = addressOf(config.from);
  const url = `${config.baseUrl ?? "https://api.resend.com"}/emails`;
  return {
    adapter: "resend",
    senderAddress,
    async send(message: EmailMessage): Promise<void> {
      const body = {
        from: `"${displayName(message.fromName)}" <${senderAddress}>`,
        to: [headerValue(message.to)],
        subject: headerValue(message.subject),
        text: message.text,
        html: message.html,
        attachments: (message.attachments ?? []).map((a) => ({
          filename: a.filename,
          content: base64Utf8(a.content),
          content_type: a.contentType,
        })),
      };
      const res = await doFetch(url, {
        method: "POST",
        headers: {
          authorization: `Bearer ${config.apiKey}`,
          "content-type": "application/json",
          "idempotency-key": headerValue(message.idempotencyKey),
        },
        body: JSON.stringify(body),
      });
      await expectOk("email", "Resend send", res);
    },
  };
}
