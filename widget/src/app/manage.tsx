// The manage page (a chunk of its own, with models/manage.ts): the booking, cancel (with a confirmation step) and
// reschedule to another free time.
import type { ComponentChildren } from "preact";
import type { I18n, MsgKey } from "../models/i18n.ts";
import { type Manage, statusNote } from "../models/manage.ts";
import { guessZone } from "../models/time.ts";
import { Frame, type Mode, useFocusOnChange } from "./frame.tsx";
import { TimePicker } from "./time-picker.tsx";

// the page's model travels in the same chunk: one request
export { createManage } from "../models/manage.ts";

const CHANGEABLE = new Set(["confirmed", "pending_payment"]);

/** What cancelling now would refund (shown before the customer confirms); nothing when nothing was paid. */
function RefundNote({ m, i18n }: { m: Manage; i18n: I18n }) {
  const q = m.quote.value;
  if (!q || q.paid.amount === 0) return null;
  return (
    <p data-refund={q.refund.amount}>
      {q.fee.amount === 0
        ? i18n.t("refundAll", { amount: i18n.money(q.refund) })
        : i18n.t("refundPart", { refund: i18n.money(q.refund), fee: i18n.money(q.fee) })}
    </p>
  );
}

export function ManageView({ m, i18n, mode }: { m: Manage; i18n: I18n; mode: Mode }) {
  const t = i18n.t;
  const view = m.view.value;
  const b = m.booking.value;
  const heading = useFocusOnChange<HTMLHeadingElement>(view);
  const tz = m.picker.value?.tz.value ?? guessZone();
  const msg = m.message.value;
  let body: ComponentChildren;
  if (view === "loading") body = <p class="mu">{t("loading")}</p>;
  else if (view === "error" || !b)
    body = (
      <p class="note bad" role="alert">
        {t(msg ?? "loadFailed")}
      </p>
    );
  else if (view === "reschedule" && m.picker.value) {
    const chosen = m.chosen.value;
    body = (
      <>
        <div class="top">
          <button type="button" class="back" aria-label={t("back")} onClick={m.keep}>
            ‹
          </button>
          <h2 id="bk-h" tabIndex={-1} ref={heading}>
            {t("reschedule")}
          </h2>
        </div>
        {msg === "taken" && (
          <p class="note" role="alert">
            {t("taken")}
          </p>
        )}
        <TimePicker picker={m.picker.value} i18n={i18n} chosen={chosen?.start ?? null} onChoose={m.choose} />
        {chosen && (
          <div class="acts">
            <button type="button" class="btn pri wide" disabled={m.busy.value} onClick={m.reschedule} data-move>
              {t("moveTo", { time: i18n.dayTime(chosen.start, tz) })}
            </button>
          </div>
        )}
      </>
    );
  } else {
    const changeable = CHANGEABLE.has(b.status) && Date.parse(b.start) > Date.now();
    const note = statusNote(b.status);
    body = (
      <>
        <h2 id="bk-h" tabIndex={-1} ref={heading}>
          {t("yourBooking")}
        </h2>
        {msg && (
          <p class="note" role="status">
            {t(msg)}
          </p>
        )}
        <dl>
          <dt>{t("lService")}</dt>
          <dd>{m.service.value?.name ?? "—"}</dd>
          <dt>{t("staff")}</dt>
          <dd>{m.staff.value?.name ?? "—"}</dd>
          <dt>{t("lWhen")}</dt>
          <dd data-when>
            {i18n.dayTime(b.start, tz)} ({tz.replace(/_/g, " ")})
          </dd>
          <dt>{t("lStatus")}</dt>
          <dd data-status={b.status}>{t(`status_${b.status}` as MsgKey)}</dd>
        </dl>
        {note && (
          <p class="mu" data-note={b.status}>
            {t(note)}
          </p>
        )}
        {view === "confirmCancel" ? (
          <div class="note bad">
            <p>{t("cancelAsk")}</p>
            <RefundNote m={m} i18n={i18n} />
            <div class="acts">
              <button type="button" class="btn" onClick={m.keep}>
                {t("keep")}
              </button>
              <button type="button" class="btn pri" disabled={m.busy.value} onClick={m.cancel} data-yes-cancel>
                {t("yesCancel")}
              </button>
            </div>
          </div>
        ) : (
          changeable && (
            <div class="acts">
              <button type="button" class="btn pri" onClick={m.startReschedule} data-reschedule>
                {t("reschedule")}
              </button>
              <button type="button" class="btn" onClick={m.askCancel} data-cancel>
                {t("cancel")}
              </button>
            </div>
          )
        )}
      </>
    );
  }
  const failure = m.failure.value;
  return (
    <Frame catalog={m.catalog.value} mode={mode} status={msg && view === "view" ? t(msg) : ""}>
      {body}
      {failure && (
        <p class="note bad" role="alert">
          {t(failure.key, failure.vars)}
        </p>
      )}
    </Frame>
  );
}
