import { describe, expect, it } from "vitest";
import {
  DecryptionFailed,
  decryptSecret,
  encryptSecret,
  isEncrypted,
  needsReencryption,
  newDataKey,
  parseDataKeys,
} from "./encryption.ts";

const K1 = newDataKey();
const K0 = newDataKey();
// A made-up signing secret, built from readable bytes so it cannot pass for a real one.
const SECRET = `whsec_${btoa("secret-signing-key-bytes-0123456789")}`;
const CONTEXT = "webhook_endpoints.secret:whe_1";

describe("secrets at rest (AES-256-GCM)", () => {
  it("encrypts to enc:v1:<kid>:<iv>:<ct> without the plaintext, and decrypts it back", async () => {
    const keys = parseDataKeys(`k1:${K1}`);
    const stored = await encryptSecret(keys, SECRET, CONTEXT);
    expect(stored).toMatch(/^enc:v1:k1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$/);
    expect(stored).not.toContain(SECRET.slice(6));
    expect(isEncrypted(stored)).toBe(true);
    expect(await decryptSecret(keys, stored, CONTEXT)).toBe(SECRET);
    // A fresh IV each time: the same secret never gives the same stored value.
    expect(await encryptSecret(keys, SECRET, CONTEXT)).not.toBe(stored);
  });

  it("refuses to encrypt without keys (never stores plaintext)", async () => {
    await expect(encryptSecret(undefined, SECRET, CONTEXT)).rejects.toThrow(/DATA_ENCRYPTION_KEYS/);
  });

  it("fails on a wrong key, a removed key, a tampered ciphertext or another row's context", async () => {
    const stored = await encryptSecret(parseDataKeys(`k1:${K1}`), SECRET, CONTEXT);
    // Same kid, other key material (e.g. a key replaced instead of rotated).
    await expect(decryptSecret(parseDataKeys(`k1:${K0}`), stored, CONTEXT)).rejects.toThrow(DecryptionFailed);
    await expect(decryptSecret(parseDataKeys(`k2:${K1}`), stored, CONTEXT)).rejects.toThrow(/k1 is not in/);
    await expect(decryptSecret(undefined, stored, CONTEXT)).rejects.toThrow(DecryptionFailed);
    const parts = stored.split(":");
    const ct = parts[4]!;
    const flipped = `${ct[0] === "A" ? "B" : "A"}${ct.slice(1)}`;
    const tampered = [...parts.slice(0, 4), flipped].join(":");
    await expect(decryptSecret(parseDataKeys(`k1:${K1}`), tampered, CONTEXT)).rejects.toThrow(/altered/);
    await expect(decryptSecret(parseDataKeys(`k1:${K1}`), stored, "webhook_endpoints.secret:whe_2")).rejects.toThrow(
      DecryptionFailed,
    );
    await expect(decryptSecret(parseDataKeys(`k1:${K1}`), "enc:v1:k1:x", CONTEXT)).rejects.toThrow(/malformed/);
  });

  it("rotates: the new first key encrypts, the old one still decrypts, and old values ask to be rewritten", async () => {
    const before = parseDataKeys(`k0:${K0}`);
    const during = parseDataKeys(`k1:${K1},k0:${K0}`);
    const after = parseDataKeys(`k1:${K1}`);
    const old = await encryptSecret(before, SECRET, CONTEXT);
    expect(await decryptSecret(during, old, CONTEXT)).toBe(SECRET);
    expect(needsReencryption(during, old)).toBe(true);
    const rewritten = await encryptSecret(during, SECRET, CONTEXT);
    expect(rewritten).toMatch(/^enc:v1:k1:/);
    expect(needsReencryption(during, rewritten)).toBe(false);
    expect(await decryptSecret(after, rewritten, CONTEXT)).toBe(SECRET);
    await expect(decryptSecret(after, old, CONTEXT)).rejects.toThrow(/k0 is not in/);
  });

  it("reads a legacy plaintext value as it is and asks for it to be rewritten (only when a key exists)", async () => {
    const keys = parseDataKeys(`k1:${K1}`);
    expect(await decryptSecret(keys, SECRET, CONTEXT)).toBe(SECRET);
    expect(await decryptSecret(undefined, SECRET, CONTEXT)).toBe(SECRET);
    expect(needsReencryption(keys, SECRET)).toBe(true);
    expect(needsReencryption(undefined, SECRET)).toBe(false);
  });

  it("parses DATA_ENCRYPTION_KEYS strictly", () => {
    expect(parseDataKeys(undefined)).toBeUndefined();
    expect(parseDataKeys("  ")).toBeUndefined();
    expect(parseDataKeys(`a:${K1}, b:${K0}`)?.primaryKid).toBe("a");
    // URL-safe and unpadded base64 are accepted too.
    expect(parseDataKeys(`a:${K1.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}`)?.raw.get("a")).toEqual(
      parseDataKeys(`a:${K1}`)?.raw.get("a"),
    );
    for (const bad of [K1, `:${K1}`, `a b:${K1}`, "a:short", `a:${K1},a:${K0}`, `a:${K1}!`, "a:"])
      expect(() => parseDataKeys(bad), bad).toThrow(/DATA_ENCRYPTION_KEYS/);
  });
});
