// The manage page's model: asking to cancel fetches what a cancellation would refund, before anything is cancelled.
import type { CancellationQuote } from "@bookra/sdk";
import { describe, expect, it, vi } from "vitest";
import type { WidgetEnv } from "./env.ts";
import { createI18n } from "./i18n.ts";
import { messages as de } from "./locales/de.ts";
import { messages as en } from "./locales/en.ts";
import { createManage, statusNote } from "./manage.ts";

// The SDK's built entry is not there in a source checkout; the model needs only its error class from it.
vi.mock("@bookra/sdk", () => ({ SlotUnavailableError: class SlotUnavailableError extends Error {} }));

const quote: CancellationQuote = {
  bookingId: "bkg_1",
  rule: "late_cancellation",
  paid: { amount: 2000, currency: "EUR" },
  refund: { amount: 1500, currency: "EUR" },
  fee: { amount: 500, currency: "EUR" },
  freeUntil: "2027-03-02T10:00:00.000Z",
  cancellable: true,
};

function fakeEnv(calls: string[], answer: () => Promise<CancellationQuote>): WidgetEnv {
  const bookings = {
    cancellationQuote: (id: string, o: { manageToken: string }) => {
      calls.push(`quote ${id} ${o.manageToken}`);
      return answer();
    },
    cancel: (id: string) => {
      calls.push(`cancel ${id}`);
      return Promise.reject(new Error("not in this test"));
    },
  };
  return { api: { bookings } } as unknown as WidgetEnv;
}

describe("asking to cancel", () => {
  it("shows the confirmation at once and what cancelling would refund when it arrives, cancelling nothing", async () => {
    const calls: string[] = [];
    let resolve: (q: CancellationQuote) => void = () => {};
    const arrived = new Promise<CancellationQuote>((r) => {
      resolve = r;
    });
    const m = createManage(
      fakeEnv(calls, () => arrived),
      "bkg_1",
      "mt_1",
      () => null,
    );
    m.askCancel();
    expect(m.view.value).toBe("confirmCancel");
    expect(m.quote.value).toBeNull();
    resolve(quote);
    await arrived;
    await Promise.resolve();
    expect(m.quote.value).toEqual(quote);
    expect(calls).toEqual(["quote bkg_1 mt_1"]);
  });

  it("keeps the confirmation usable when the quote cannot be loaded", async () => {
    const failing = Promise.reject(new Error("offline"));
    failing.catch(() => {});
    const m = createManage(
      fakeEnv([], () => failing),
      "bkg_1",
      "mt_1",
      () => null,
    );
    m.askCancel();
    await failing.catch(() => {});
    await Promise.resolve();
    expect(m.view.value).toBe("confirmCancel");
    expect(m.quote.value).toBeNull();
  });
});

describe("the note under the booking's status", () => {
  it("tells the customer of an expired or cancelled booking that a payment landing late is refunded in full", () => {
    const say = (lang: string, messages: typeof en, status: "expired" | "cancelled") =>
      createI18n(lang, messages).t(statusNote(status)!);
    expect(say("en", en, "expired")).toBe(
      "Paid after the hold lapsed? The time had been taken, so your payment is refunded in full automatically; we e-mail you.",
    );
    expect(say("en", en, "cancelled")).toBe(
      "A payment that arrives after the cancellation is refunded in full automatically.",
    );
    expect(say("de", de, "cancelled")).toBe(
      "Eine Zahlung, die nach der Stornierung eintrifft, wird automatisch vollständig erstattet.",
    );
  });

  it("says nothing more for a booking that is held, confirmed or over", () => {
    for (const status of ["pending_payment", "confirmed", "completed", "no_show"] as const)
      expect(statusNote(status), status).toBeNull();
  });
});
