import type { TimelineEntry } from "@bookra/sdk/admin";
import { afterEach, describe, expect, it } from "vitest";
import { locale } from "../../models/i18n.ts";
import { isTextKey, type TextKey, tp } from "./texts.ts";
import { describeEntry } from "./timeline.ts";

const base: TimelineEntry = {
  at: "2027-03-01T09:00:00.000Z",
  kind: "created",
  source: { table: "bookings", id: "bkg_1" },
  eventType: null,
  outboxId: null,
  status: null,
  handler: null,
  endpoint: null,
  responseStatus: null,
  attempt: null,
  amount: null,
};
const money = (m: { amount: number; currency: string }) => `${m.currency} ${m.amount / 100}`;
const say = (e: Partial<TimelineEntry>) => {
  const d = describeEntry({ ...base, ...e }, (k: TextKey) => tp(k), isTextKey, money);
  return { ...d, text: tp(d.key, d.vars) };
};

afterEach(() => {
  locale.value = "en";
});

describe("a timeline entry in words", () => {
  it("says the state changes of the booking row", () => {
    expect(say({}).text).toBe("Booking created");
    expect(say({ kind: "no_show" }).text).toBe("Marked no-show");
    expect(say({ kind: "expired" }).tone).toBe("bad");
  });

  it("names the confirmation e-mail from its completion record", () => {
    const d = say({
      kind: "effect",
      source: { table: "outbox_completions", id: "evt_1/customer-email" },
      eventType: "booking.created",
      outboxId: "evt_1",
      handler: "customer-email",
    });
    expect(d.text).toBe("E-mail to the customer sent (booking made)");
    expect(d.source).toBe("outbox_completions evt_1/customer-email");
    locale.value = "de";
    expect(say({ kind: "effect", eventType: "booking.confirmed", handler: "whatsapp" }).text).toBe(
      "WhatsApp-Nachricht gesendet (Bestätigung)",
    );
  });

  it("an unknown handler or event type is shown as the record has it, not hidden", () => {
    expect(say({ kind: "effect", eventType: "booking.tipped", handler: "sms" }).text).toBe(
      "“sms” done (booking.tipped)",
    );
    expect(say({ kind: "event", eventType: "booking.reminder_due", status: "dead" })).toMatchObject({
      text: "Event “reminder” (gave up)",
      tone: "bad",
    });
  });

  it("a webhook delivery names its endpoint, HTTP status and attempt", () => {
    const ok = say({
      kind: "webhook_delivery",
      eventType: "booking.created",
      status: "succeeded",
      endpoint: { id: "whe_1", url: "https://hooks.example/x" },
      responseStatus: 204,
      attempt: 1,
    });
    expect(ok.text).toBe("Webhook booking.created delivered to https://hooks.example/x: HTTP 204, attempt 1");
    expect(ok.tone).toBe("ok");
    const failed = say({
      kind: "webhook_delivery",
      eventType: "booking.created",
      status: "failed",
      endpoint: { id: "whe_1", url: "https://hooks.example/x" },
      responseStatus: null,
      attempt: 3,
    });
    expect(failed.text).toBe("Webhook booking.created to https://hooks.example/x failed: no answer, attempt 3");
    expect(failed.tone).toBe("bad");
    locale.value = "es";
    expect(
      say({
        kind: "webhook_delivery",
        status: "failed",
        responseStatus: 500,
        endpoint: { id: "w", url: "u" },
        eventType: "e",
        attempt: 2,
      }).text,
    ).toBe("Webhook e a u fallido: HTTP 500, intento 2");
  });

  it("a payment and an invoice carry their amounts", () => {
    expect(say({ kind: "paid", status: "succeeded", amount: { amount: 4500, currency: "GBP" } }).text).toBe(
      "Payment of GBP 45 (succeeded)",
    );
    expect(say({ kind: "invoice_issued", amount: { amount: 4500, currency: "GBP" } }).text).toBe(
      "Invoice issued for GBP 45",
    );
  });

  it("a payment that could not confirm its booking says so: a different amount to refund, or refunded automatically", () => {
    const mismatch = say({ kind: "paid", status: "mismatch", amount: { amount: 1900, currency: "USD" } });
    expect(mismatch).toMatchObject({
      text: "Payment of USD 19 (a different amount — not confirmed; refund it)",
      tone: "bad",
    });
    expect(say({ kind: "paid", status: "refund_required", amount: { amount: 2000, currency: "EUR" } }).text).toBe(
      "Payment of EUR 20 (not used: refunded automatically)",
    );
    locale.value = "de";
    expect(say({ kind: "paid", status: "mismatch", amount: { amount: 1900, currency: "USD" } }).text).toBe(
      "Zahlung über USD 19 (anderer Betrag — nicht bestätigt; bitte erstatten)",
    );
  });

  it("a refund says its amount and state, a failed one in the bad tone", () => {
    const failed = say({ kind: "refund", status: "failed", amount: { amount: 500, currency: "GBP" } });
    expect(failed.text).toBe("Refund of GBP 5 (failed, will retry)");
    expect(failed.tone).toBe("bad");
    expect(say({ kind: "refund", status: "succeeded", amount: { amount: 500, currency: "GBP" } }).tone).toBe("ok");
  });

  it("a ledger entry says its kind and every line, debits with a plus, credits with a minus", () => {
    const d = say({
      kind: "ledger",
      source: { table: "journal_entries", id: "jre_1" },
      ledger: {
        kind: "deposit.paid",
        lines: [
          { account: "stripe_balance", amount: 1950, currency: "EUR" },
          { account: "stripe_fees", amount: 50, currency: "EUR" },
          { account: "customer_deposits", amount: -2000, currency: "EUR" },
        ],
      },
    });
    expect(d.key).toBe("tl.ledger");
    expect(d.text).toBe(
      "Ledger entry “deposit.paid”: stripe_balance +EUR 19.5 · stripe_fees +EUR 0.5 · customer_deposits EUR -20",
    );
    expect(d.source).toBe("journal_entries jre_1");
    locale.value = "de";
    expect(d.key === "tl.ledger" && tp(d.key, { kind: "k", lines: "l" })).toBe("Buchungssatz „k“: l");
  });
});
