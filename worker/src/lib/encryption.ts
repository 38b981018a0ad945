// Secrets at rest (tenant webhook signing secrets, calendar refresh tokens): AES-256-GCM (WebCrypto) under keys from
// the Worker secret DATA_ENCRYPTION_KEYS = `kid:base64key[,kid:base64key…]`. The first key encrypts, every listed key
// decrypts, and each stored value names its key (`enc:v1:<kid>:<iv>:<ciphertext>`), so a key rotates without a
// migration. The ciphertext is bound to its place (`context`, e.g. the table, column and row id): a value copied into
// another row or tenant does not decrypt. Values written before encryption (plaintext) are still read, and rewritten
// encrypted by their reader (`needsReencryption`).
import { AppError } from "../errors.ts";

const PREFIX = "enc:v1:";
const KID = /^[A-Za-z0-9_-]{1,16}$/;
const B64URL = /^[A-Za-z0-9_-]+$/;

export interface DataKeys {
  /** The key new values are encrypted with (the first listed). */
  readonly primaryKid: string;
  readonly raw: ReadonlyMap<string, Uint8Array<ArrayBuffer>>;
  /** Imported WebCrypto keys, by kid (filled on first use). */
  readonly imported: Map<string, Promise<CryptoKey>>;
}

/** Parsed once per isolate and value: the imported CryptoKeys are reused by every request and queue batch. */
const parsedSpecs = new Map<string, DataKeys>();

/** Parses DATA_ENCRYPTION_KEYS; undefined when unset. A malformed value throws (the worker must not run with it). */
export function parseDataKeys(spec: string | undefined): DataKeys | undefined {
  if (spec === undefined || spec.trim() === "") return undefined;
  let keys = parsedSpecs.get(spec);
  if (!keys) {
    keys = parseSpec(spec);
    parsedSpecs.set(spec, keys);
  }
  return keys;
}

function parseSpec(spec: string): DataKeys {
  const raw = new Map<string, Uint8Array<ArrayBuffer>>();
  let primaryKid: string | undefined;
  for (const entry of spec.split(",")) {
    const at = entry.indexOf(":");
    const kid = entry.slice(0, at).trim();
    const material = entry.slice(at + 1).trim();
    if (at < 0 || !KID.test(kid))
      throw new Error("DATA_ENCRYPTION_KEYS: each entry is `kid:base64key` with a kid of 1-16 [A-Za-z0-9_-]");
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = fromBase64(material);
    } catch {
      throw new Error(`DATA_ENCRYPTION_KEYS: the key of ${kid} is not base64`);
    }
    if (bytes.length !== 32) throw new Error(`DATA_ENCRYPTION_KEYS: the key of ${kid} must be 32 bytes (AES-256)`);
    if (raw.has(kid)) throw new Error(`DATA_ENCRYPTION_KEYS: ${kid} is listed twice`);
    raw.set(kid, bytes);
    primaryKid ??= kid;
  }
  if (!primaryKid) throw new Error("DATA_ENCRYPTION_KEYS is empty");
  return { primaryKid, raw, imported: new Map() };
}

/** A fresh random 32-byte key, base64 (what the local stack generates and `openssl rand -base64 32` prints). */
export function newDataKey(): string {
  return toBase64(crypto.getRandomValues(new Uint8Array(32)));
}

export function isEncrypted(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/** True when the stored value should be rewritten: plaintext, or encrypted under a key other than the primary. */
export function needsReencryption(keys: DataKeys | undefined, stored: string): boolean {
  if (!keys) return false;
  return !isEncrypted(stored) || stored.slice(PREFIX.length).split(":")[0] !== keys.primaryKid;
}

/** Encrypts a secret for storage. Without keys it refuses: a secret is never stored in plaintext. */
export async function encryptSecret(keys: DataKeys | undefined, plaintext: string, context: string): Promise<string> {
  if (!keys)
    throw new AppError(
      "INTERNAL",
      "Secrets cannot be stored: the server has no DATA_ENCRYPTION_KEYS configured (a Worker secret)",
    );
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: utf8(context) },
    await cryptoKey(keys, keys.primaryKid),
    utf8(plaintext),
  );
  return `${PREFIX}${keys.primaryKid}:${toBase64Url(iv)}:${toBase64Url(new Uint8Array(ct))}`;
}

/** Reads a stored secret: decrypts an `enc:v1:` value, returns a legacy plaintext value as it is. */
export async function decryptSecret(keys: DataKeys | undefined, stored: string, context: string): Promise<string> {
  if (!isEncrypted(stored)) return stored;
  const [kid, iv, ct, ...rest] = stored.slice(PREFIX.length).split(":");
  if (!kid || !iv || !ct || rest.length > 0 || !B64URL.test(iv) || !B64URL.test(ct))
    throw new DecryptionFailed("the stored value is malformed");
  if (!keys?.raw.has(kid))
    throw new DecryptionFailed(`key ${kid} is not in DATA_ENCRYPTION_KEYS (was it removed before rotating?)`);
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: fromBase64(iv), additionalData: utf8(context) },
      await cryptoKey(keys, kid),
      fromBase64(ct),
    );
    return new TextDecoder().decode(plain);
  } catch {
    throw new DecryptionFailed(`authentication failed under key ${kid} (wrong key, or the value was altered)`);
  }
}

/** A stored secret could not be read: a configuration error or tampering, never the caller's fault. */
export class DecryptionFailed extends Error {
  constructor(reason: string) {
    super(`Cannot decrypt a stored secret: ${reason}`);
    this.name = "DecryptionFailed";
  }
}

function cryptoKey(keys: DataKeys, kid: string): Promise<CryptoKey> {
  let key = keys.imported.get(kid);
  if (!key) {
    key = crypto.subtle.importKey("raw", keys.raw.get(kid)!, "AES-GCM", false, ["encrypt", "decrypt"]);
    keys.imported.set(kid, key);
  }
  return key;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Standard or URL-safe base64, padded or not. */
function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9+/_-]+=*$/.test(text)) throw new Error("not base64");
  const std = text.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  const bin = atob(std + "=".repeat((4 - (std.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
