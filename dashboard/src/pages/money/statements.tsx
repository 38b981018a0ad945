// Staff statements for the chosen period: the owner picks any staff member and can "Mark paid" (one Idempotency-Key
// per submission, so the SDK's retries pay once; more than owed is the API's 422 STAFF_OVERPAID, shown at the amount
// field); a staff session reads its own statement only.
import type { Staff, StaffStatement } from "@bookra/sdk/admin";
import { BookraError } from "@bookra/sdk/admin";
import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { fmtMoney, t } from "../../models/i18n.ts";
import { api, attempt } from "../../models/session.ts";
import { describedBy, formErrors } from "../bookings/field-errors.ts";
import { all } from "../setup/forms.ts";
import { decimal, type Period, parseAmount } from "./model.ts";
import { tp } from "./texts.ts";

const FIGURES = [
  "appointments",
  "revenue",
  "cancellationFees",
  "refunds",
  "commission",
  "tips",
  "commissionReversed",
  "paid",
  "openingBalance",
  "balanceOwed",
] as const satisfies readonly (keyof StaffStatement)[];

/** `only`: a staff session's own staff id (no picker, no payment form). */
export function Statements({ period, only }: { period: Period; only?: string }) {
  const staff = useSignal<Staff[]>([]);
  const chosen = useSignal<string | null>(only ?? null);
  const error = useSignal<string | null>(null);
  useEffect(() => {
    if (only) return;
    void attempt(() => all(api.staff.list({ limit: 100 }))).then((r) => {
      if (!r.ok) {
        error.value = r.error;
        return;
      }
      staff.value = r.value;
      if (!chosen.value && r.value[0]) chosen.value = r.value[0].id;
    });
  }, [only]);
  return (
    <section class="panel" aria-labelledby="mp-statements">
      <h2 id="mp-statements">{only ? tp("statement") : tp("statements")}</h2>
      {error.value && (
        <p class="error" role="alert">
          {error.value}
        </p>
      )}
      {!only && staff.value.length > 0 && (
        <div class="field">
          <label for="mp-staff">{tp("staffMember")}</label>
          <select id="mp-staff" value={chosen.value ?? ""} onChange={(e) => (chosen.value = e.currentTarget.value)}>
            {staff.value.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {chosen.value && <Statement staffId={chosen.value} period={period} canPay={!only} />}
    </section>
  );
}

function Statement({ staffId, period, canPay }: { staffId: string; period: Period; canPay: boolean }) {
  const st = useSignal<StaffStatement | null>(null);
  const error = useSignal<string | null>(null);
  const seq = useRef(0);
  const load = async () => {
    const mine = ++seq.current;
    const r = await attempt(() => api.staff.statement(staffId, period));
    if (mine !== seq.current) return;
    if (r.ok) {
      st.value = r.value;
      error.value = null;
    } else error.value = r.error;
  };
  useEffect(() => {
    st.value = null;
    void load();
  }, [staffId, period.from, period.to]);
  const s = st.value;
  if (error.value)
    return (
      <p class="error" role="alert">
        {error.value}{" "}
        <button type="button" onClick={() => void load()}>
          {t("retry")}
        </button>
      </p>
    );
  if (!s) return <p class="muted">{t("loading")}</p>;
  return (
    <div class="statement" data-staff={s.staffId}>
      <dl class="figures">
        {FIGURES.map((f) => (
          <div key={f} data-figure={f} data-amount={s[f]}>
            <dt>{tp(f === "revenue" ? "earned" : f)}</dt>
            <dd>{f === "appointments" ? s[f] : fmtMoney({ amount: s[f], currency: s.currency })}</dd>
          </div>
        ))}
      </dl>
      {canPay && s.balanceOwed > 0 && <MarkPaid statement={s} onPaid={() => void load()} />}
    </div>
  );
}

function MarkPaid({ statement: s, onPaid }: { statement: StaffStatement; onPaid: () => void }) {
  const exponent =
    new Intl.NumberFormat("en", { style: "currency", currency: s.currency }).resolvedOptions().maximumFractionDigits ??
    2;
  const busy = useSignal(false);
  const fieldError = useSignal<string | null>(null);
  const formError = useSignal<string | null>(null);
  const done = useSignal<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const amount = parseAmount(String(data.get("amount") ?? ""), exponent);
    fieldError.value = null;
    formError.value = null;
    done.value = null;
    if (amount === null) {
      fieldError.value = tp("badAmount");
      form.querySelector<HTMLInputElement>("#mp-pay-amount")?.focus();
      return;
    }
    const method = data.get("method") === "cash" ? "cash" : "bank";
    busy.value = true;
    const r = await attempt(() =>
      api.staff.pay(s.staffId, { amount, method, period: s.period }, { idempotencyKey: `pay-${crypto.randomUUID()}` }),
    );
    busy.value = false;
    if (r.ok) {
      done.value = tp("paidDone", { amount: fmtMoney({ amount: r.value.amount, currency: r.value.currency }) });
      onPaid();
      return;
    }
    if (r.cause instanceof BookraError && r.cause.code === "STAFF_OVERPAID") {
      fieldError.value = r.error;
      return;
    }
    const fe = formErrors(r.cause, r.error, ["amount"]);
    fieldError.value = fe.fields.amount ?? null;
    formError.value = fe.form;
  };
  return (
    <form class="mark-paid" onSubmit={submit} noValidate aria-label={tp("markPaid")}>
      <div class="row">
        <div class="field">
          <label for="mp-pay-amount">{tp("payAmount", { currency: s.currency })}</label>
          <input
            id="mp-pay-amount"
            name="amount"
            inputMode="decimal"
            defaultValue={decimal(s.balanceOwed, exponent)}
            key={s.balanceOwed}
            {...describedBy("mp-pay-amount", fieldError.value ?? undefined)}
          />
          {fieldError.value && (
            <p class="error" id="mp-pay-amount-err">
              {fieldError.value}
            </p>
          )}
        </div>
        <div class="field">
          <label for="mp-pay-method">{tp("method")}</label>
          <select id="mp-pay-method" name="method">
            <option value="bank">{tp("bank")}</option>
            <option value="cash">{tp("cash")}</option>
          </select>
        </div>
      </div>
      <div class="buttons">
        <button type="submit" class="primary" disabled={busy.value}>
          {tp("markPaid")}
        </button>
      </div>
      {formError.value && (
        <p class="error" role="alert">
          {formError.value}
        </p>
      )}
      {done.value && (
        <p class="muted" role="status">
          {done.value}
        </p>
      )}
    </form>
  );
}
