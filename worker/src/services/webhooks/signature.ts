// Standard Webhooks signing: secrets are `whsec_` + base64 key bytes; a signature is
// `v1,` + base64(HMAC-SHA256(key, "${id}.${timestamp}.${body}")). See https://www.standardwebhooks.com.
import { hmacSha256 } from "../../lib/crypto.ts";

const SECRET_BYTES = 32;

/** What an endpoint's stored secret is encrypted for (lib/encryption.ts): it decrypts in this row only. */
export function webhookSecretContext(endpointId: string): string {
  return `webhook_endpoints.secret:${endpointId}`;
}

export function newWebhookSecret(): string {
  return `whsec_${toBase64(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)))}`;
}

export async function signWebhook(secret: string, id: string, timestamp: number, body: string): Promise<string> {
  const mac = hmacSha256(fromBase64(secret.replace(/^whsec_/, "")), `${id}.${timestamp}.${body}`);
  return `v1,${toBase64(mac)}`;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
