import { describe, expect, it } from "vitest";
import { sha256Hex } from "./crypto.ts";
import { acceptsManageToken, manageTokenFor, manageTokenKid, manageTokenMatching } from "./manage-token.ts";

const A = "manage-secret-A-0123456789abcdefghijklmnop";
const B = "manage-secret-B-0123456789abcdefghijklmnop";

describe("manage tokens with key ids", () => {
  it("carries the key id of the secret that made it, and is deterministic per secret and subject", async () => {
    const token = await manageTokenFor(A, "bkg_1");
    expect(token).toMatch(/^mt_[0-9a-z]{4}_[0-9a-z]{40}$/);
    expect(token.slice(3, 7)).toBe(manageTokenKid(A));
    expect(await manageTokenFor(A, "bkg_1")).toBe(token);
    expect(await manageTokenFor(A, "bkg_2")).not.toBe(token);
    expect(manageTokenKid(B)).not.toBe(manageTokenKid(A));
  });

  it("accepts the current and the previous secret's tokens, and only for their subject", async () => {
    const rotating = { manageTokenSecret: B, previousManageTokenSecret: A };
    const oldToken = await manageTokenFor(A, "bkg_1");
    expect(acceptsManageToken(rotating, "bkg_1", await manageTokenFor(B, "bkg_1"))).toBe(true);
    expect(acceptsManageToken(rotating, "bkg_1", oldToken)).toBe(true);
    expect(acceptsManageToken({ manageTokenSecret: B }, "bkg_1", oldToken)).toBe(false);
    expect(acceptsManageToken(rotating, "bkg_2", oldToken)).toBe(false);
    // The key id must be the one that made the mac: B's mac under A's id is not a token.
    const swapped = `mt_${manageTokenKid(A)}_${(await manageTokenFor(B, "bkg_1")).slice(8)}`;
    expect(acceptsManageToken(rotating, "bkg_1", swapped)).toBe(false);
    for (const junk of ["", "mt_", "mt_wrong", `${oldToken}x`, oldToken.toUpperCase()])
      expect(acceptsManageToken(rotating, "bkg_1", junk)).toBe(false);
  });

  it("accepts a pre-key-id token (mt_<mac>) of a configured secret only", async () => {
    const legacy = `mt_${(await manageTokenFor(A, "bkg_1")).slice(8)}`;
    expect(acceptsManageToken({ manageTokenSecret: A }, "bkg_1", legacy)).toBe(true);
    expect(acceptsManageToken({ manageTokenSecret: B, previousManageTokenSecret: A }, "bkg_1", legacy)).toBe(true);
    expect(acceptsManageToken({ manageTokenSecret: B }, "bkg_1", legacy)).toBe(false);
  });

  it("finds the token a customer holds from its stored hash (for links in later messages)", async () => {
    const rotating = { manageTokenSecret: B, previousManageTokenSecret: A };
    const oldToken = await manageTokenFor(A, "bkg_1");
    expect(await manageTokenMatching(rotating, "bkg_1", await sha256Hex(oldToken))).toBe(oldToken);
    const legacy = `mt_${oldToken.slice(8)}`;
    expect(await manageTokenMatching(rotating, "bkg_1", await sha256Hex(legacy))).toBe(legacy);
    expect(await manageTokenMatching(rotating, "bkg_1", "unknown")).toBe(await manageTokenFor(B, "bkg_1"));
  });
});
