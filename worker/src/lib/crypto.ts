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

/** A secret with a recognisable prefix (`sk_…`, `mt_…`); 40 random base-32 characters = 200 bits. */
export function newSecret(prefix: "sk" | "mt"): string {
  return `${prefix}_${randomString(40)}`;
}

const PBKDF2_ITERATIONS = 100_000; // the most Workers' WebCrypto allows

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await pbkdf2(password, salt, PBKDF2_ITERATIONS);
  return `pbkdf2-sha256$${PBKDF2_ITERATIONS}$${toHex(salt.buffer)}$${hash}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iter, saltHex, expected] = stored.split("$");
  if (scheme !== "pbkdf2-sha256" || !iter || !saltHex || !expected) return false;
  const salt: Uint8Array<ArrayBuffer> = new Uint8Array(saltHex.match(/../g)?.map((h) => Number.parseInt(h, 16)) ?? []);
  return timingSafeEqual(await pbkdf2(password, salt, Number(iter)), expected);
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
