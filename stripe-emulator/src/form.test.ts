import { describe, expect, it } from "vitest";
import { parseForm } from "./form.ts";

describe("parseForm", () => {
  it("nests bracketed keys and turns indexes into arrays, as the stripe package encodes them", () => {
    const body =
      "mode=payment&line_items[0][quantity]=1&line_items[0][price_data][currency]=eur" +
      "&line_items[1][quantity]=2&metadata[bookingId]=bkg_1&expand[0]=payment_intent&expand[1]=latest_charge";
    expect(parseForm(body)).toEqual({
      mode: "payment",
      line_items: [{ quantity: "1", price_data: { currency: "eur" } }, { quantity: "2" }],
      metadata: { bookingId: "bkg_1" },
      expand: ["payment_intent", "latest_charge"],
    });
  });

  it("reads percent-encoded brackets and empty-index arrays alike", () => {
    expect(parseForm("expand%5B%5D=a&expand%5B%5D=b&metadata%5Bk%5D=v%20w")).toEqual({
      expand: ["a", "b"],
      metadata: { k: "v w" },
    });
  });

  it("keeps an empty value (Stripe's way of unsetting) and skips malformed keys", () => {
    expect(parseForm("metadata[k]=&a]b=1")).toEqual({ metadata: { k: "" } });
  });
});
