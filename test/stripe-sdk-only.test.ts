// The worker reaches Stripe through the official `stripe` package only (issue 13): one module imports it
// (providers/stripe.ts), no source names Stripe's API host or builds a Stripe signature by hand, and the emulator's
// signatures verify with the SDK's constructEventAsync and fail when one byte changes.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { stripeWebhookVerifier } from "../worker/src/providers/stripe.ts";
import { signStripePayload } from "./helpers/stripe-sign.ts";

const root = join(import.meta.dirname, "..");
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe("Stripe through the SDK only", () => {
  it("only providers/stripe.ts imports `stripe`; nothing else names api.stripe.com or signs v1= by hand", () => {
    const offenders: string[] = [];
    for (const file of sources(join(root, "worker/src"))) {
      const rel = relative(root, file);
      const text = readFileSync(file, "utf8");
      const importsStripe = /from\s+["']stripe["']/.test(text);
      if (
        importsStripe &&
        rel !== "worker/src/providers/stripe.ts" &&
        !/import type [^;]+from\s+["']stripe["']/.test(text)
      )
        offenders.push(`${rel}: imports stripe`);
      if (/api\.stripe\.com/.test(text) && rel !== "worker/src/providers/stripe.ts")
        offenders.push(`${rel}: names api.stripe.com`);
      if (/v1=\$\{/.test(text)) offenders.push(`${rel}: builds a Stripe signature`);
    }
    expect(offenders).toEqual([]);
  });

  it("constructEventAsync accepts a Stripe-signed body and refuses it when one byte changes", async () => {
    const verify = stripeWebhookVerifier("whsec_sdk_only");
    const body = JSON.stringify({ id: "evt_1", object: "event", type: "account.updated", data: { object: {} } });
    const header = await signStripePayload("whsec_sdk_only", body, Math.floor(Date.now() / 1000));
    expect((await verify(body, header)).id).toBe("evt_1");
    await expect(verify(body.replace("evt_1", "evt_2"), header)).rejects.toThrow();
  });
});
