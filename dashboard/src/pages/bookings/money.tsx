// A booking's money on its page: what was paid online and at the desk (with the tip), and — for the owner, who alone
// may read and make refunds — what is still refundable, what a customer's cancellation would refund now, a refund
// form (amount defaulting to the refundable, a reason, one Idempotency-Key per submission) and the refunds with their
// state, a failed one retryable.
import type { AdminBooking, CompletionQuote, Money, RefundList } from "@bookra/sdk/admin";
import { BookraError } from "@bookra/sdk/admin";
import { useSignal } from "@preact/signals";
import { Fragment } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { toMajorText, toMinor } from "../../models/desk.ts";
import { fmtMoney } from "../../models/i18n.ts";
import { api, attempt } from "../../models/session.ts";
import { tp as deskTp } from "../today/texts.ts";
import { describedBy, formErrors } from "./field-errors.ts";
import { FlagNote } from "./flag.tsx";
import { originLabel, refundStatusLabel } from "./money-labels.ts";
import { tp } from "./texts.ts";

function RefundForm({ bookingId, refundable, onDone }: { bookingId: string; refundable: Money; onDone: () => void }) {
  const amount = useSignal(toMajorText(refundable.amount, refundable.currency));
  const reason = useSignal("");
  const errors = useSignal<{ fields: Record<string, string>; form: string | null }>({ fields: {}, form: null });
  const busy = useSignal(false);
  // one key per submission: a retried request of the same submission is one refund; a new submission, a new key
  const key = useRef<string | null>(null);
  const max = fmtMoney(refundable);
  const submit = async (e: Event) => {
    e.preventDefault();
    const minor = toMinor(amount.value, refundable.currency);
    const fields: Record<string, string> = {};
    if (minor === null || minor < 1) fields.amount = tp("refundBadAmount", { max });
    if (!reason.value.trim()) fields.reason = tp("refundNeedsReason");
    if (Object.keys(fields).length) {
      errors.value = { fields, form: null };
      return;
    }
    key.current ??= crypto.randomUUID();
    busy.value = true;
    const r = await attempt(() =>
      api.bookings.refunds.create(
        bookingId,
        { amount: minor!, reason: reason.value.trim() },
        { idempotencyKey: key.current! },
      ),
    );
    busy.value = false;
    if (r.ok) {
      key.current = null;
      errors.value = { fields: {}, form: null };
      reason.value = "";
      onDone();
      return;
    }
    if (r.cause instanceof BookraError && r.cause.code === "REFUND_EXCEEDS_REFUNDABLE") {
      key.current = null;
      errors.value = { fields: { amount: r.cause.message }, form: null };
      return;
    }
    if (r.cause instanceof BookraError && (r.cause.status ?? 500) < 500) key.current = null;
    errors.value = formErrors(r.cause, r.error, ["amount", "reason"]);
  };
  const err = errors.value.fields;
  return (
    <form class="refund-form" onSubmit={submit} noValidate aria-labelledby="rf-title">
      <h3 id="rf-title">{tp("refundTitle")}</h3>
      <div class="row">
        <div class="field">
          <label for="rf-amount">{tp("refundAmount", { currency: refundable.currency })}</label>
          <input
            id="rf-amount"
            name="amount"
            inputMode="decimal"
            autoComplete="off"
            value={amount.value}
            onInput={(ev) => {
              amount.value = (ev.currentTarget as HTMLInputElement).value;
              key.current = null;
            }}
            {...describedBy("rf-amount", err.amount)}
          />
          {err.amount && (
            <p class="error" id="rf-amount-err">
              {err.amount}
            </p>
          )}
        </div>
        <div class="field">
          <label for="rf-reason">{tp("refundReason")}</label>
          <input
            id="rf-reason"
            name="reason"
            maxLength={500}
            value={reason.value}
            onInput={(ev) => {
              reason.value = (ev.currentTarget as HTMLInputElement).value;
              key.current = null;
            }}
            {...describedBy("rf-reason", err.reason)}
          />
          {err.reason && (
            <p class="error" id="rf-reason-err">
              {err.reason}
            </p>
          )}
        </div>
      </div>
      {errors.value.form && (
        <p class="error" role="alert">
          {errors.value.form}
        </p>
      )}
      <button type="submit" class="danger" disabled={busy.value}>
        {tp("refundSubmit")}
      </button>
    </form>
  );
}

export function MoneyPanel({
  bookingId,
  flag,
  owner,
  stamp,
  onChanged,
}: {
  bookingId: string;
  flag: AdminBooking["paymentFlag"];
  owner: boolean;
  /** Changes whenever the page reloads the booking: the panel reads again. */
  stamp: number;
  onChanged: () => Promise<void>;
}) {
  const desk = useSignal<CompletionQuote | null>(null);
  const refunds = useSignal<RefundList | null>(null);
  const error = useSignal<string | null>(null);
  const notice = useSignal<string | null>(null);
  const retrying = useSignal<string | null>(null);
  const load = async () => {
    const [q, r] = await Promise.all([
      attempt(() => api.bookings.completion(bookingId)),
      owner ? attempt(() => api.bookings.refunds.list(bookingId)) : Promise.resolve(null),
    ]);
    if (q.ok) desk.value = q.value;
    if (r?.ok) refunds.value = r.value;
    error.value = !q.ok ? q.error : r && !r.ok ? r.error : null;
  };
  useEffect(() => {
    void load();
  }, [bookingId, stamp]);
  const changed = async (msg: string) => {
    notice.value = msg;
    await onChanged();
  };
  const retry = async (id: string) => {
    retrying.value = id;
    const r = await attempt(() => api.bookings.refunds.retry(bookingId, id));
    retrying.value = null;
    if (r.ok) await changed(tp("refundRetried"));
    else error.value = r.error;
  };
  const q = desk.value;
  const rl = refunds.value;
  const money = (amount: number, currency: string) => fmtMoney({ amount, currency });
  const done = q?.completion;
  return (
    <section class="panel money-panel" aria-labelledby="money-title">
      <h2 id="money-title">{tp("money")}</h2>
      <FlagNote flag={flag} owner={owner} />
      <dl class="details">
        {rl && (
          <>
            <dt>{tp("paidOnline")}</dt>
            <dd data-money="paid">{fmtMoney(rl.paid)}</dd>
          </>
        )}
        {q && !done && (
          <>
            <dt>{tp("depositsHeld")}</dt>
            <dd data-money="deposits">{money(q.deposits, q.currency)}</dd>
            <dt>{tp("dueAtDesk")}</dt>
            <dd data-money="due">{money(q.due, q.currency)}</dd>
          </>
        )}
        {done && (
          <>
            {done.payments.length === 0 && (
              <>
                <dt>{tp("paidAtDesk")}</dt>
                <dd>{money(0, done.currency)}</dd>
              </>
            )}
            {done.payments.map((p) => (
              <Fragment key={p.method}>
                <dt>
                  {tp("paidAtDesk")} · {deskTp(p.method)}
                </dt>
                <dd data-money={`desk-${p.method}`}>{money(p.amount, done.currency)}</dd>
              </Fragment>
            ))}
            {done.tip && (
              <>
                <dt>{deskTp("tip")}</dt>
                <dd data-money="tip">{money(done.tip.amount, done.currency)}</dd>
              </>
            )}
          </>
        )}
        {rl && (
          <>
            <dt>{tp("refundable")}</dt>
            <dd data-money="refundable">{fmtMoney(rl.refundable)}</dd>
            <dt>{tp("ifCancelled")}</dt>
            <dd data-money="cancellation">
              {tp("ifCancelledSays", { refund: fmtMoney(rl.cancellation.refund), fee: fmtMoney(rl.cancellation.fee) })}
            </dd>
          </>
        )}
      </dl>
      {error.value && (
        <p class="error" role="alert">
          {error.value}
        </p>
      )}
      {notice.value && (
        <p class="ok" role="status">
          {notice.value}
        </p>
      )}
      {rl && rl.refunds.length > 0 && (
        <>
          <h3 id="refunds-title">{tp("refunds")}</h3>
          <ul class="refunds" aria-labelledby="refunds-title">
            {rl.refunds.map((r) => {
              const st = refundStatusLabel(r.status);
              const from = originLabel(r.origin);
              return (
                <li key={r.id} data-refund={r.id} data-status={r.status} data-origin={r.origin}>
                  <span>
                    {tp("refundRow", {
                      amount: fmtMoney(r.amount),
                      status: st ? tp(st.label) : r.status,
                      reason: r.reason,
                    })}
                  </span>
                  <span class="muted origin"> · {from ? tp(from) : r.origin}</span>
                  {r.failureReason && <span class="muted"> ({r.failureReason})</span>}
                  {st?.hint && <span class="hint"> {tp(st.hint)}</span>}
                  {r.status === "failed" && (
                    <>
                      {" "}
                      <button type="button" disabled={retrying.value === r.id} onClick={() => void retry(r.id)}>
                        {tp("refundRetry")}
                      </button>
                    </>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
      {rl && rl.refundable.amount > 0 && (
        <RefundForm
          key={`${rl.refundable.amount}`}
          bookingId={bookingId}
          refundable={rl.refundable}
          onDone={() => void changed(tp("refundAsked"))}
        />
      )}
    </section>
  );
}
