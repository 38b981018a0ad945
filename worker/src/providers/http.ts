// The one place the real adapters turn an HTTP answer into success or a ProviderError.
import { ProviderError, type ProviderKind } from "./types.ts";

export type Fetch = typeof fetch;

const RETRYABLE_4XX = new Set([408, 409, 425, 429]);

/** Throws a ProviderError for a non-2xx answer (statuses in `ok` also count as success); returns the response. */
export async function expectOk(
  provider: ProviderKind,
  what: string,
  res: Response,
  ok: number[] = [],
): Promise<Response> {
  if (res.ok || ok.includes(res.status)) return res;
  // A short excerpt helps the dead-letter view; provider error bodies do not echo credentials.
  const excerpt = (await res.text().catch(() => "")).slice(0, 300);
  const retryable = res.status >= 500 || RETRYABLE_4XX.has(res.status);
  throw new ProviderError(provider, `${what} failed with HTTP ${res.status}: ${excerpt}`, res.status, retryable);
}

/** Base64 of UTF-8 text (Workers have btoa but no Buffer without nodejs_compat). */
export function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
