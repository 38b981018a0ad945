// Manage tokens: derived from a server secret (HMAC of the booking id), so the e-mail relay and idempotent replays can
// reproduce them without the plaintext ever being stored; the database keeps only their SHA-256.
//
// Rotation: a token is `mt_<kid>_<mac>`, where kid names the secret that made it (derived from the secret itself, so
// there is nothing else to configure). MANAGE_TOKEN_SECRET makes new tokens; MANAGE_TOKEN_SECRET_PREVIOUS, while it is
// set, keeps the tokens it made working. A token is accepted only when it is what one of those secrets derives for
// that booking (and its hash matches the booking's): removing the previous secret ends its tokens, even though their
// hashes are still stored. Tokens from before key ids (`mt_<mac>`) are checked the same way against both secrets.
import { hmacSha256, sha256Hex, timingSafeEqual } from "./crypto.ts";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const TOKEN = /^mt_(?:([0-9a-hjkmnp-tv-z]{4})_)?[0-9a-hjkmnp-tv-z]{40}$/;

/** The secrets manage tokens are made and checked with (ServiceConfig carries both). */
export interface ManageTokenSecrets {
  manageTokenSecret: string;
  previousManageTokenSecret?: string | undefined;
}

function encode(mac: Uint8Array, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[mac[i % mac.length]! & 31];
  return out;
}

const kids = new Map<string, string>();

/** The key id of a secret: 4 characters (20 bits) of an HMAC of a fixed label; it reveals nothing of the secret. */
export function manageTokenKid(secret: string): string {
  let kid = kids.get(secret);
  if (!kid) {
    kid = encode(hmacSha256(secret, "bookra:manage-token-kid"), 4);
    kids.set(secret, kid);
  }
  return kid;
}

function mac(secret: string, subject: string): string {
  // A synchronous HMAC (node:crypto), not a WebCrypto job per booking.
  return encode(hmacSha256(secret, `manage:${subject}`), 40);
}

/** The token for a booking id (or `invoice:<id>`) under the given secret: `mt_<kid>_<mac>`. */
export async function manageTokenFor(secret: string, subject: string): Promise<string> {
  return `mt_${manageTokenKid(secret)}_${mac(secret, subject)}`;
}

/** Every token that is valid for the subject now: per configured secret, the keyed form and the pre-kid form. */
function candidates(secrets: ManageTokenSecrets, subject: string): string[] {
  const out: string[] = [];
  for (const secret of [secrets.manageTokenSecret, secrets.previousManageTokenSecret]) {
    if (!secret) continue;
    const m = mac(secret, subject);
    out.push(`mt_${manageTokenKid(secret)}_${m}`, `mt_${m}`);
  }
  return out;
}

/**
 * Whether the token is one the configured secrets derive for this subject (constant-time per candidate). The caller
 * still matches the stored hash: this check is what retires a removed secret's tokens.
 */
export function acceptsManageToken(secrets: ManageTokenSecrets, subject: string, token: string): boolean {
  const match = TOKEN.exec(token);
  if (!match) return false;
  const kid = match[1];
  let ok = false;
  for (const candidate of candidates(secrets, subject)) {
    if (candidate.length !== token.length) continue;
    if (kid !== undefined && candidate.slice(3, 7) !== kid) continue;
    if (timingSafeEqual(candidate, token)) ok = true;
  }
  return ok;
}

/**
 * The token the customer holds for a booking, recognised by its stored hash (it may have been made by the previous
 * secret, or before key ids). When no configured secret made it (its secret was removed), the current secret's token:
 * a link with it will not open the booking, as intended after a removal.
 */
export async function manageTokenMatching(
  secrets: ManageTokenSecrets,
  subject: string,
  storedHash: string,
): Promise<string> {
  const all = candidates(secrets, subject);
  for (const candidate of all) if ((await sha256Hex(candidate)) === storedHash) return candidate;
  return all[0]!;
}
