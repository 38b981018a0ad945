// Manage tokens: derived from a server secret (HMAC of the booking id), so the e-mail relay and idempotent replays can
// reproduce them without the plaintext ever being stored; the database keeps only their SHA-256.
import { createHmac } from "node:crypto";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

export async function manageTokenFor(secret: string, bookingId: string): Promise<string> {
  // node:crypto (Workers provide it with nodejs_compat): a synchronous HMAC, not a WebCrypto job per booking.
  const mac = createHmac("sha256", secret).update(`manage:${bookingId}`, "utf8").digest();
  let out = "mt_";
  for (let i = 0; i < 40; i++) out += ALPHABET[mac[i % mac.length]! & 31];
  return out;
}
