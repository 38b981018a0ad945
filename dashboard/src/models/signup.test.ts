import { describe, expect, it } from "vitest";
import { checkSignup, SLUG, slugify, tokenFromHash } from "./signup.ts";

const OK = {
  businessName: "Cuts & Co",
  slug: "cuts-co",
  timezone: "Europe/Madrid",
  currency: "EUR",
  ownerEmail: "ana@cuts.example",
  ownerPassword: "a long passphrase",
};

describe("slugify", () => {
  it("suggests a slug the API accepts from a business's name", () => {
    expect(slugify("Café Bär & Co.")).toBe("cafe-bar-co");
    expect(slugify("  --Studio 54--  ")).toBe("studio-54");
    const long = slugify("A very long business name that goes on and on beyond any limit");
    expect(long.length).toBeLessThanOrEqual(48);
    expect(SLUG.test(long)).toBe(true);
    expect(slugify("東京")).toBe("");
  });
});

describe("checkSignup", () => {
  it("passes a complete form and names the first problem of each field", () => {
    expect(checkSignup(OK)).toEqual({});
    expect(checkSignup({ ...OK, businessName: " ", slug: "A!", ownerEmail: "ana@", ownerPassword: "short" })).toEqual({
      businessName: "required",
      slug: "slug",
      ownerEmail: "email",
      ownerPassword: "password",
    });
    expect(checkSignup({ ...OK, slug: "", timezone: "" })).toEqual({ slug: "required", timezone: "required" });
  });
});

describe("tokenFromHash", () => {
  it("reads the token of a reset or invitation link, and nothing malformed", () => {
    const token = "a".repeat(64);
    expect(tokenFromHash(`#token=${token}`)).toBe(token);
    expect(tokenFromHash("")).toBeNull();
    expect(tokenFromHash("#token=short")).toBeNull();
    expect(tokenFromHash(`#token=${"a".repeat(40)}<script>`)).toBeNull();
  });
});
