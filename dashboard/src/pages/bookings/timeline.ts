// A timeline entry of `GET /v1/admin/bookings/{id}/timeline` → the text key and values that say it, pure: only what
// the record holds (its kind, event type, handler, status, endpoint, HTTP status, attempt, amount, ledger lines),
// nothing inferred.
import type { TimelineEntry } from "@bookra/sdk/admin";
import { paymentStatusLabel } from "./money-labels.ts";
import type { TextKey } from "./texts.ts";

export interface EntryText {
  key: TextKey;
  /** Placeholders; a known event type or status is said in words, an unknown one as the record has it. */
  vars: Record<string, string | number>;
  /** The record the entry was read from, e.g. "outbox_completions evt_1/customer-email". */
  source: string;
  /** "ok" | "bad" | "" — how the entry is marked (a failed delivery, a dead event). */
  tone: "ok" | "bad" | "";
}

const HANDLERS: Record<string, TextKey> = {
  "customer-email": "tl.email",
  "staff-notice": "tl.staffNotice",
  whatsapp: "tl.whatsapp",
  calendar: "tl.calendar",
  invoice: "tl.invoice",
  "tenant-webhooks": "tl.webhooks",
};

const STATE_KINDS = ["created", "confirmed", "rescheduled", "cancelled", "expired", "completed", "no_show"] as const;

/** The text key for an outbox event type ("booking.created" → "ev.booking.created"), or null for an unknown one. */
export function eventKey(eventType: string | null, known: (k: string) => k is TextKey): TextKey | null {
  const k = `ev.${eventType ?? ""}`;
  return known(k) ? k : null;
}

/** The text key for a status ("dead" → "st.dead"), or null. */
export function statusKey(status: string | null, known: (k: string) => k is TextKey): TextKey | null {
  const k = `st.${status ?? ""}`;
  return known(k) ? k : null;
}

/**
 * What to say for one entry. `known` tells which keys exist (the page's English texts); `tr` turns a key into text and
 * `money` formats an amount, so the caller decides the language.
 */
export function describeEntry(
  e: TimelineEntry,
  tr: (k: TextKey) => string,
  known: (k: string) => k is TextKey,
  money: (m: { amount: number; currency: string }) => string,
): EntryText {
  const ek = eventKey(e.eventType, known);
  const sk = statusKey(e.status, known);
  const event = ek ? tr(ek) : (e.eventType ?? "");
  const status = sk ? tr(sk) : (e.status ?? "");
  const source = `${e.source.table} ${e.source.id}`;
  if ((STATE_KINDS as readonly string[]).includes(e.kind))
    return { key: `tl.${e.kind}` as TextKey, vars: {}, source, tone: e.kind === "expired" ? "bad" : "" };
  switch (e.kind) {
    case "paid": {
      // a payment's own states (a mismatched amount, one refunded automatically) before the outbox's words
      const pay = paymentStatusLabel(e.status);
      return {
        key: "tl.paid",
        vars: { amount: e.amount ? money(e.amount) : "", status: pay ? tr(pay.label) : status },
        source,
        tone: e.status === "succeeded" ? "ok" : (pay?.tone ?? ""),
      };
    }
    case "refund":
      return {
        key: "tl.refund",
        vars: { amount: e.amount ? money(e.amount) : "", status },
        source,
        tone: e.status === "succeeded" ? "ok" : e.status === "failed" ? "bad" : "",
      };
    case "ledger": {
      // every line of the journal entry: account and signed amount (debit positive, credit negative)
      const lines = (e.ledger?.lines ?? [])
        .map((l) => `${l.account} ${l.amount > 0 ? "+" : ""}${money({ amount: l.amount, currency: l.currency })}`)
        .join(" · ");
      return { key: "tl.ledger", vars: { kind: e.ledger?.kind ?? "", lines }, source, tone: "" };
    }
    case "invoice_issued":
      return { key: "tl.invoice_issued", vars: { amount: e.amount ? money(e.amount) : "" }, source, tone: "" };
    case "effect": {
      const key = (e.handler && HANDLERS[e.handler]) || "tl.handler";
      return { key, vars: { event, handler: e.handler ?? "" }, source, tone: "ok" };
    }
    case "webhook_delivery": {
      const ok = e.status === "succeeded";
      return {
        key: ok ? "tl.webhookOk" : "tl.webhookFailed",
        vars: {
          event: e.eventType ?? "",
          url: e.endpoint?.url ?? "",
          code: e.responseStatus === null ? tr("noResponse") : ok ? e.responseStatus : `HTTP ${e.responseStatus}`,
          attempt: e.attempt ?? 1,
        },
        source,
        tone: ok ? "ok" : "bad",
      };
    }
    default:
      // "event": any other outbox row, with its processing status
      return {
        key: "tl.event",
        vars: { event, status },
        source,
        tone: e.status === "dead" || e.status === "failed" ? "bad" : "",
      };
  }
}
