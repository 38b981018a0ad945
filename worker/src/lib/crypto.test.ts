import { describe, expect, it } from "vitest";
import { signWebhook } from "../services/webhooks/signature.ts";
import {
  checkPassword,
  hashPassword,
  hmacSha256,
  keyedHashHex,
  parsePasswordPeppers,
  sha256Hex,
  timingSafeEqual,
  verifyPassword,
} from "./crypto.ts";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("lib/crypto", () => {
  it("computes HMAC-SHA256 as RFC 4231 says (test cases 1 and 2), with a text or a byte key", () => {
    expect(hex(hmacSha256(new Uint8Array(20).fill(0x0b), "Hi There"))).toBe(
      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
    );
    expect(keyedHashHex("Jefe", "what do ya want for nothing?")).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
  });

  it("hashes SHA-256 as hex", async () => {
    expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("compares equal strings as equal and any difference, length included, as different", () => {
    expect(timingSafeEqual("abc", "abc")).toBe(true);
    expect(timingSafeEqual("abc", "abd")).toBe(false);
    expect(timingSafeEqual("abc", "ab")).toBe(false);
    expect(timingSafeEqual("", "")).toBe(true);
  });

  it("verifies a password against its own hash only", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(await verifyPassword("correct horse battery staple", stored)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", stored)).toBe(false);
  });

  it("signs tenant webhooks as before (a pinned Standard Webhooks signature)", async () => {
    // A made-up fixture, spelled out so it cannot pass for a real secret: base64 of 32 ASCII hex digits.
    const secret = `whsec_${btoa("0123456789abcdef0123456789abcdef")}`;
    expect(await signWebhook(secret, "evt_1", 1_800_000_000, '{"type":"booking.created"}')).toBe(
      "v1,R4tpL01R3QcUiQYjPzVEeaWi+hl/HVX57hBr06/d7BU=",
    );
  });
});

describe("peppered passwords", () => {
  const v1 = parsePasswordPeppers("v1:pepper-one-0123456789abcdef0123456789");
  const v2 = parsePasswordPeppers("v2:pepper-two-0123456789abcdef0123456789,v1:pepper-one-0123456789abcdef0123456789");

  it("peppers new hashes with the first pepper and verifies under any listed one", async () => {
    const stored = await hashPassword("correct horse battery staple", v1);
    expect(stored).toMatch(/^pbkdf2-sha256\$100000\$[0-9a-f]{32}\$[0-9a-f]{64}\$v1$/);
    expect(await checkPassword("correct horse battery staple", stored, v1)).toEqual({ ok: true, rehash: false });
    expect(await checkPassword("correct horse battery staple", stored, v2)).toEqual({ ok: true, rehash: true });
    expect((await checkPassword("correct horse battery stapler", stored, v2)).ok).toBe(false);
    // Without its pepper a hash never matches: the database alone is not enough.
    expect((await checkPassword("correct horse battery staple", stored, undefined)).ok).toBe(false);
  });

  it("asks to rehash an unpeppered hash once a pepper is configured", async () => {
    const legacy = await hashPassword("correct horse battery staple");
    expect(await checkPassword("correct horse battery staple", legacy, v1)).toEqual({ ok: true, rehash: true });
    expect(await checkPassword("wrong", legacy, v1)).toEqual({ ok: false, rehash: false });
  });

  it("parses PASSWORD_PEPPER strictly", () => {
    expect(parsePasswordPeppers(undefined)).toBeUndefined();
    for (const bad of [
      "v1:short",
      "v1",
      ":x".padEnd(40, "x"),
      "v1:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,v1:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
    ])
      expect(() => parsePasswordPeppers(bad), bad).toThrow(/PASSWORD_PEPPER/);
  });
});
