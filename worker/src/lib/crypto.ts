// The worker's one home for hashing, HMAC, hex and constant-time comparison: secrets we must recognise but never
// store (API keys, manage tokens: SHA-256; passwords: PBKDF2) and signatures (Stripe's, Standard Webhooks', ours).
// SHA-256 and HMAC use node:crypto (Workers provide it with nodejs_compat): one synchronous call instead of a
// WebCrypto job, which cost more than the rest of a booking's CPU in profiles.
import { createHash, createHmac } from "node:crypto";
import { randomString } from "./ids.ts";

const encoder = new TextEncoder();

function toHex(bytes: ArrayBuffer | Uint8Array): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function sha256Hex(value: string): Promise<string> {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

/** HMAC-SHA256 of `message` (UTF-8) under `key` (a UTF-8 secret, or raw key bytes): the 32-byte MAC. */
export function hmacSha256(key: string | Uint8Array, message: string): Uint8Array {
  return createHmac("sha256", key).update(message, "utf8").digest();
}

/**
 * HMAC-SHA256 of `value` under `secret`, as hex: a value stored to be recognised, not read back (client addresses),
 * and Stripe's `v1` signatures.
 */
export function keyedHashHex(secret: string, value: string): string {
  return toHex(hmacSha256(secret, value));
}

/** A secret with a recognisable prefix (`sk_…`, `mt_…`, `bs_…` session cookies); 40 random base-32 characters = 200 bits. */
export function newSecret(prefix: "sk" | "mt" | "bs"): string {
  return `${prefix}_${randomString(40)}`;
}

const PBKDF2_ITERATIONS = 100_000; // the most Workers' WebCrypto allows

/**
 * Server-side secrets mixed into every password hash (the Worker secret PASSWORD_PEPPER = `id:secret[,id:secret…]`):
 * the first peppers new hashes, every listed one still verifies. A stolen database alone then cannot be attacked
 * offline, which makes up for PBKDF2 being capped at 100,000 iterations in Workers (docs/OPERATIONS.md).
 */
export interface PasswordPeppers {
  currentId: string;
  secrets: ReadonlyMap<string, string>;
}

/** Parses PASSWORD_PEPPER; undefined when unset. A malformed value throws (the worker must not run with it). */
export function parsePasswordPeppers(spec: string | undefined): PasswordPeppers | undefined {
  if (!spec?.trim()) return undefined;
  const secrets = new Map<string, string>();
  let currentId: string | undefined;
  for (const entry of spec.split(",")) {
    const at = entry.indexOf(":");
    const id = entry.slice(0, at).trim();
    const secret = entry.slice(at + 1).trim();
    if (at < 1 || !/^[A-Za-z0-9_-]{1,16}$/.test(id))
      throw new Error("PASSWORD_PEPPER: each entry is `id:secret` with an id of 1-16 [A-Za-z0-9_-]");
    if (secret.length < 32) throw new Error(`PASSWORD_PEPPER: the secret of ${id} must be at least 32 characters`);
    if (secrets.has(id)) throw new Error(`PASSWORD_PEPPER: ${id} is listed twice`);
    secrets.set(id, secret);
    currentId ??= id;
  }
  return { currentId: currentId!, secrets };
}

/**
 * `pbkdf2-sha256$<iterations>$<salt>$<hash>$<pepper id>`: PBKDF2 of HMAC-SHA256(pepper, password) with a pepper;
 * without one (hashes made before PASSWORD_PEPPER existed look like that) the same four fields of the bare password.
 */
export async function hashPassword(password: string, peppers?: PasswordPeppers): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const prefix = `pbkdf2-sha256$${PBKDF2_ITERATIONS}$${toHex(salt.buffer)}`;
  if (!peppers) return `${prefix}$${await pbkdf2(password, salt, PBKDF2_ITERATIONS)}`;
  const id = peppers.currentId;
  const peppered = toHex(hmacSha256(peppers.secrets.get(id)!, password));
  return `${prefix}$${await pbkdf2(peppered, salt, PBKDF2_ITERATIONS)}$${id}`;
}

/**
 * Checks a password against a stored hash of either form; `rehash` says the hash is not in today's form (no pepper
 * or an older one, fewer iterations) and should be replaced now that the password is known. A hash whose pepper is
 * no longer configured never matches.
 */
export async function checkPassword(
  password: string,
  stored: string,
  peppers?: PasswordPeppers,
): Promise<{ ok: boolean; rehash: boolean }> {
  const [scheme, iter, saltHex, expected, pepperId, ...rest] = stored.split("$");
  const iterations = Number(iter);
  if (scheme !== "pbkdf2-sha256" || !saltHex || !expected || rest.length > 0) return { ok: false, rehash: false };
  if (!Number.isInteger(iterations) || iterations < 1) return { ok: false, rehash: false };
  let input = password;
  if (pepperId !== undefined) {
    const secret = peppers?.secrets.get(pepperId);
    if (!secret) return { ok: false, rehash: false };
    input = toHex(hmacSha256(secret, password));
  }
  const salt: Uint8Array<ArrayBuffer> = new Uint8Array(saltHex.match(/../g)?.map((h) => Number.parseInt(h, 16)) ?? []);
  const ok = timingSafeEqual(await pbkdf2(input, salt, Math.min(iterations, PBKDF2_ITERATIONS)), expected);
  const current = peppers ? pepperId === peppers.currentId : pepperId === undefined;
  return { ok, rehash: ok && (!current || iterations !== PBKDF2_ITERATIONS) };
}

export async function verifyPassword(password: string, stored: string, peppers?: PasswordPeppers): Promise<boolean> {
  return (await checkPassword(password, stored, peppers)).ok;
}

async function pbkdf2(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
  return toHex(bits);
}

/** Compares two strings in time that depends only on their length (signatures, tokens, password hashes). */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
