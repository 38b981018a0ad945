// The desk-payment form: what was paid at the venue (cash, card, other), a tip and a discount, with the balance due
// from the API; completes the booking in one request, and shows each refusal at the field it concerns.
import type { CompletionInput, CompletionQuote } from "@bookra/sdk/admin";
import { BookraError } from "@bookra/sdk/admin";
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { DESK_FIELDS, type DeskField, fieldOfCode, toMinor } from "../../models/desk.ts";
import { fmtMoney } from "../../models/i18n.ts";
import { api, attempt } from "../../models/session.ts";
import { tp } from "./texts.ts";

const METHODS = ["cash", "card", "other"] as const;

export function DeskForm({
  bookingId,
  onDone,
  onClose,
}: {
  bookingId: string;
  onDone: () => void;
  onClose: () => void;
}) {
  const quote = useSignal<CompletionQuote | null>(null);
  const values = useSignal<Record<DeskField, string>>({ cash: "", card: "", other: "", tip: "", discount: "" });
  const leaveDue = useSignal(false);
  const errors = useSignal<Partial<Record<DeskField, string>>>({});
  const formError = useSignal<string | null>(null);
  const busy = useSignal(false);
  useEffect(() => {
    void attempt(() => api.bookings.completion(bookingId)).then((r) => {
      if (r.ok) quote.value = r.value;
      else formError.value = r.error;
    });
  }, [bookingId]);
  const q = quote.value;
  const currency = q?.currency ?? "EUR";
  const minor = Object.fromEntries(DESK_FIELDS.map((f) => [f, toMinor(values.value[f], currency)])) as Record<
    DeskField,
    number | null
  >;
  const money = (amount: number) => fmtMoney({ amount, currency });
  const toCollect = q ? Math.max(q.due - (minor.discount ?? 0), 0) + (minor.tip ?? 0) : 0;

  const submit = async (e: Event) => {
    e.preventDefault();
    const bad = DESK_FIELDS.filter((f) => minor[f] === null);
    errors.value = Object.fromEntries(bad.map((f) => [f, tp("badAmount")]));
    formError.value = null;
    if (bad.length > 0) return;
    const input: CompletionInput = {
      currency,
      payments: METHODS.filter((m) => (minor[m] ?? 0) > 0).map((m) => ({ method: m, amount: minor[m]! })),
      ...(minor.tip ? { tip: { amount: minor.tip } } : {}),
      ...(minor.discount ? { discount: minor.discount } : {}),
      ...(leaveDue.value ? { acceptBalanceDue: true } : {}),
    };
    busy.value = true;
    const r = await attempt(() => api.bookings.complete(bookingId, input));
    busy.value = false;
    if (r.ok) return onDone();
    const code = r.cause instanceof BookraError ? r.cause.code : "";
    const field = fieldOfCode(code);
    const known: Record<string, Parameters<typeof tp>[0]> = {
      DESK_OVERPAID: "overpaid",
      BALANCE_DUE: "short",
      TIP_EXCEEDS_PAYMENTS: "tipTooBig",
      DISCOUNT_EXCEEDS_BALANCE: "discountTooBig",
    };
    if (field) errors.value = { [field]: known[code] ? tp(known[code]) : r.error };
    else formError.value = r.error;
  };

  const input = (f: DeskField) => {
    const id = `desk-${bookingId}-${f}`;
    const err = errors.value[f];
    return (
      <div class="field" key={f}>
        <label for={id}>{tp(f)}</label>
        <input
          id={id}
          inputMode="decimal"
          autoComplete="off"
          value={values.value[f]}
          aria-invalid={err ? true : undefined}
          aria-describedby={err ? `${id}-err` : undefined}
          onInput={(ev) => {
            values.value = { ...values.value, [f]: (ev.currentTarget as HTMLInputElement).value };
          }}
        />
        {err && (
          <p class="error" id={`${id}-err`}>
            {err}
          </p>
        )}
      </div>
    );
  };

  return (
    <form class="desk-form" onSubmit={submit} noValidate aria-label={tp("formTitle")}>
      {q && (
        <dl class="details">
          <dt>{tp("price")}</dt>
          <dd>{money(q.price)}</dd>
          <dt>{tp("deposits")}</dt>
          <dd>{money(q.deposits)}</dd>
          <dt>{tp("due")}</dt>
          <dd class="due">{money(q.due)}</dd>
          <dt>{tp("toCollect")}</dt>
          <dd class="to-collect">{money(toCollect)}</dd>
        </dl>
      )}
      <fieldset>
        <legend>{tp("formTitle")}</legend>
        {METHODS.map(input)}
      </fieldset>
      {input("tip")}
      {input("discount")}
      <label>
        <input
          type="checkbox"
          checked={leaveDue.value}
          onChange={(ev) => {
            leaveDue.value = (ev.currentTarget as HTMLInputElement).checked;
          }}
        />{" "}
        {tp("leaveDue")}
      </label>
      {formError.value && (
        <p class="error" role="alert">
          {formError.value}
        </p>
      )}
      <div class="buttons">
        <button type="submit" class="primary" disabled={busy.value || !q}>
          {tp("submit")}
        </button>
        <button type="button" onClick={onClose}>
          {tp("close")}
        </button>
      </div>
    </form>
  );
}
