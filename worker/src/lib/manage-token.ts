// Manage tokens: derived from a server secret (HMAC of the booking id), so the e-mail relay and idempotent replays can
// reproduce them without the plaintext ever being stored; the database keeps only their SHA-256.
const encoder = new TextEncoder();
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/** Importing a key costs as much as using it; the secret is fixed per deployment, so its key is imported once. */
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    keys.set(secret, key);
  }
  return key;
}

export async function manageTokenFor(secret: string, bookingId: string): Promise<string> {
  const key = await hmacKey(secret);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(`manage:${bookingId}`)));
  let out = "mt_";
  for (let i = 0; i < 40; i++) out += ALPHABET[mac[i % mac.length]! & 31];
  return out;
}
