// One booking: its details, the actions its status allows (cancel, reschedule to a date and time in the business's
// zone, complete — in one tap or with the desk payments of Today's form —, no-show; a refusal is explained beside the
// action), its money (paid online and at the desk; for the owner, refunds: money.tsx) and its timeline from the real
// records, ledger entries included.
import type { AdminBooking, BookingTimeline } from "@bookra/sdk/admin";
import { BookraError, NotFoundError } from "@bookra/sdk/admin";
import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { fmtDay, fmtMoney, fmtTime, t } from "../../models/i18n.ts";
import { onLinkClick } from "../../models/router.ts";
import { api, attempt, session } from "../../models/session.ts";
import { fromLocal, hhmm, toLocal } from "../../models/time.ts";
import { DeskForm } from "../today/desk-form.tsx";
import { tp as deskTp } from "../today/texts.ts";
import { describedBy, formErrors } from "./field-errors.ts";
import { FlagBadge } from "./flag.tsx";
import { MoneyPanel } from "./money.tsx";
import { when } from "./row.tsx";
import { isTextKey, type TextKey, tp } from "./texts.ts";
import { describeEntry } from "./timeline.ts";

/** A refusal (409) in words: the API's code when we know it, else its own message. */
function explain(cause: unknown, fallback: string): string {
  if (!(cause instanceof BookraError) || cause.status !== 409) return fallback;
  const known: Record<string, TextKey> = {
    SLOT_UNAVAILABLE: "slotTaken",
    TOO_MANY_HOLDS: "holdsFull",
    RESCHEDULE_LIMIT_REACHED: "rescheduleLimit",
  };
  const k = known[cause.code];
  return k ? tp(k) : tp("conflict", { message: cause.message });
}

function Timeline({ data, tz }: { data: BookingTimeline; tz: string }) {
  return (
    <section class="panel" aria-labelledby="tl-title">
      <h2 id="tl-title">{tp("timeline")}</h2>
      {data.entries.length === 0 ? (
        <p class="muted">{tp("timelineEmpty")}</p>
      ) : (
        <ol class="timeline">
          {data.entries.map((e) => {
            const d = describeEntry(e, (k) => tp(k), isTextKey, fmtMoney);
            return (
              <li
                key={`${e.source.table}/${e.source.id}/${e.kind}`}
                class={d.tone}
                data-kind={e.kind}
                data-source={d.source}
              >
                <time dateTime={e.at}>
                  {fmtDay(toLocal(e.at, tz).date, "short")} {fmtTime(e.at, tz)}
                </time>{" "}
                <span>{tp(d.key, d.vars)}</span>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

function Reschedule({ b, tz, onDone }: { b: AdminBooking; tz: string; onDone: (msg: string) => void }) {
  const start = toLocal(b.start, tz);
  const errors = useSignal<{ fields: Record<string, string>; form: string | null }>({ fields: {}, form: null });
  const busy = useSignal(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const fd = new FormData(e.currentTarget as HTMLFormElement);
    const date = String(fd.get("date") ?? "");
    const time = String(fd.get("time") ?? "");
    const m = /^(\d{2}):(\d{2})/.exec(time);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !m) {
      errors.value = { fields: { [date ? "time" : "date"]: tp("pickDateTime") }, form: null };
      return;
    }
    busy.value = true;
    const instant = fromLocal(date, Number(m[1]) * 60 + Number(m[2]), tz);
    const r = await attempt(() => api.bookings.reschedule(b.id, { start: instant.replace(/\.\d{3}Z$/, "Z") }));
    busy.value = false;
    if (r.ok) {
      errors.value = { fields: {}, form: null };
      onDone(tp("moved", { when: when(r.value, tz) }));
      return;
    }
    const fe = formErrors(r.cause, explain(r.cause, r.error), ["start"]);
    // the API names `start`: that is the date and time the user chose
    errors.value = fe.fields.start ? { fields: { date: fe.fields.start }, form: null } : fe;
  };
  const err = errors.value.fields;
  return (
    <form class="reschedule" onSubmit={submit} noValidate aria-labelledby="rs-title">
      <h3 id="rs-title">{tp("reschedule")}</h3>
      <div class="row">
        <div class="field">
          <label for="rs-date">{tp("newDate")}</label>
          <input
            id="rs-date"
            name="date"
            type="date"
            required
            defaultValue={start.date}
            {...describedBy("rs-date", err.date)}
          />
          {err.date && (
            <p class="error" id="rs-date-err">
              {err.date}
            </p>
          )}
        </div>
        <div class="field">
          <label for="rs-time">{tp("newTime")}</label>
          <input
            id="rs-time"
            name="time"
            type="time"
            step={300}
            required
            defaultValue={hhmm(start.minutes)}
            {...describedBy("rs-time", err.time)}
          />
          {err.time && (
            <p class="error" id="rs-time-err">
              {err.time}
            </p>
          )}
        </div>
      </div>
      {errors.value.form && (
        <p class="error" role="alert">
          {errors.value.form}
        </p>
      )}
      <button type="submit" disabled={busy.value}>
        {tp("move")}
      </button>
    </form>
  );
}

type Action = "cancel" | "complete" | "noShow";

function Actions({ b, tz, onChanged }: { b: AdminBooking; tz: string; onChanged: () => Promise<void> }) {
  const busy = useSignal(false);
  const error = useSignal<string | null>(null);
  const notice = useSignal<string | null>(null);
  const confirming = useSignal(false);
  const paying = useSignal(false);
  const yes = useRef<HTMLButtonElement>(null);
  const cancelBtn = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  // keyboard focus follows the two-step cancel: to "Yes" when asked, back to "Cancel" when kept
  useEffect(() => {
    if (confirming.value) yes.current?.focus();
    else if (asked.current) cancelBtn.current?.focus();
    asked.current = confirming.value;
  }, [confirming.value]);
  const run = async (a: Action) => {
    busy.value = true;
    error.value = null;
    notice.value = null;
    const r = await attempt(() =>
      a === "cancel"
        ? api.bookings.cancel(b.id)
        : a === "complete"
          ? api.bookings.complete(b.id)
          : api.bookings.noShow(b.id),
    );
    busy.value = false;
    confirming.value = false;
    if (r.ok) {
      notice.value = tp("done");
      await onChanged();
    } else error.value = explain(r.cause, r.error);
  };
  const open = b.status === "confirmed" || b.status === "pending_payment";
  if (!open && !error.value && !notice.value) return null;
  return (
    <section class="panel actions-panel" aria-labelledby="act-title">
      <h2 id="act-title">{tp("actions")}</h2>
      {open && (
        <div class="buttons wrap">
          {b.status === "confirmed" && (
            <>
              <button type="button" class="primary" disabled={busy.value} onClick={() => void run("complete")}>
                {tp("complete")}
              </button>
              <button
                type="button"
                disabled={busy.value}
                aria-expanded={paying.value}
                onClick={() => {
                  paying.value = !paying.value;
                }}
              >
                {deskTp("pay")}
              </button>
              <button type="button" disabled={busy.value} onClick={() => void run("noShow")}>
                {tp("noShow")}
              </button>
            </>
          )}
          {confirming.value ? (
            <span class="confirm">
              <span>{tp("confirmCancel")}</span>{" "}
              <button type="button" class="danger" ref={yes} disabled={busy.value} onClick={() => void run("cancel")}>
                {tp("cancelYes")}
              </button>{" "}
              <button
                type="button"
                onClick={() => {
                  confirming.value = false;
                }}
              >
                {tp("cancelNo")}
              </button>
            </span>
          ) : (
            <button
              type="button"
              ref={cancelBtn}
              disabled={busy.value}
              onClick={() => {
                confirming.value = true;
              }}
            >
              {tp("cancel")}
            </button>
          )}
        </div>
      )}
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
      {paying.value && b.status === "confirmed" && (
        <DeskForm
          bookingId={b.id}
          onDone={() => {
            paying.value = false;
            notice.value = tp("done");
            void onChanged();
          }}
          onClose={() => {
            paying.value = false;
          }}
        />
      )}
      {b.status === "confirmed" && (
        <Reschedule
          b={b}
          tz={tz}
          onDone={(msg) => {
            error.value = null;
            notice.value = msg;
            void onChanged();
          }}
        />
      )}
    </section>
  );
}

export function BookingPage({ id }: { id: string }) {
  const s = session.value!;
  const tz = s.tenant.timezone;
  const booking = useSignal<AdminBooking | null>(null);
  const timeline = useSignal<BookingTimeline | null>(null);
  const error = useSignal<string | null>(null);
  const missing = useSignal(false);
  const stamp = useSignal(0);
  const heading = useRef<HTMLHeadingElement>(null);
  const load = async () => {
    const [b, tl] = await Promise.all([
      attempt(() => api.bookings.get(id)),
      attempt(() => api.bookingTimelines.get(id)),
    ]);
    if (!b.ok) {
      if (b.cause instanceof NotFoundError) missing.value = true;
      else error.value = b.error;
      return;
    }
    error.value = tl.ok ? null : tl.error;
    booking.value = b.value;
    stamp.value++;
    if (tl.ok) timeline.value = tl.value;
  };
  useEffect(() => {
    void load().then(() => heading.current?.focus());
  }, []);
  const b = booking.value;
  const managers = s.role !== "staff";
  return (
    <section class="page booking-page" aria-labelledby="page-title">
      <p>
        <a href="/app/bookings" onClick={(e) => onLinkClick(e, "/bookings")}>
          ← {tp("back")}
        </a>
      </p>
      <h1 id="page-title" tabIndex={-1} ref={heading}>
        {b ? tp("bookingTitle", { name: b.customer.name }) : tp("title")}
      </h1>
      {missing.value && (
        <p class="error" role="alert">
          {tp("notFound")}
        </p>
      )}
      {error.value && (
        <p class="error" role="alert">
          {error.value}{" "}
          <button type="button" onClick={() => void load()}>
            {t("retry")}
          </button>
        </p>
      )}
      {!b && !missing.value && !error.value && <p class="muted">{t("loading")}</p>}
      {b && (
        <div class="booking-layout">
          <section class="panel" aria-labelledby="det-title">
            <h2 id="det-title">{tp("details")}</h2>
            <dl class="details">
              <dt>{tp("when")}</dt>
              <dd>{when(b, tz)}</dd>
              <dt>{tp("status")}</dt>
              <dd>
                <span class={`badge status-${b.status}`}>{t(`status.${b.status}`)}</span>{" "}
                <FlagBadge flag={b.paymentFlag} />
              </dd>
              <dt>{tp("service")}</dt>
              <dd>{b.serviceName}</dd>
              <dt>{tp("staff")}</dt>
              <dd>{b.staffName}</dd>
              <dt>{tp("customer")}</dt>
              <dd>
                {managers ? (
                  <a
                    href={`/app/customers/${encodeURIComponent(b.customer.id)}`}
                    onClick={(e) => onLinkClick(e, `/customers/${encodeURIComponent(b.customer.id)}`)}
                  >
                    {b.customer.name}
                  </a>
                ) : (
                  b.customer.name
                )}
              </dd>
              <dt>{tp("email")}</dt>
              <dd>
                <a href={`mailto:${b.customer.email}`}>{b.customer.email}</a>
              </dd>
              {b.customer.phone && (
                <>
                  <dt>{tp("phone")}</dt>
                  <dd>
                    <a href={`tel:${b.customer.phone}`}>{b.customer.phone}</a>
                  </dd>
                </>
              )}
              <dt>{tp("price")}</dt>
              <dd>{fmtMoney(b.price)}</dd>
              {b.deposit && (
                <>
                  <dt>{tp("deposit")}</dt>
                  <dd>{fmtMoney(b.deposit)}</dd>
                </>
              )}
              <dt>{tp("source")}</dt>
              <dd>{tp(b.source === "public" ? "source.public" : "source.admin")}</dd>
              <dt>{tp("created")}</dt>
              <dd>
                {fmtDay(toLocal(b.createdAt, tz).date, "short")} {fmtTime(b.createdAt, tz)}
              </dd>
              {b.notes && (
                <>
                  <dt>{tp("notes")}</dt>
                  <dd class="pre">{b.notes}</dd>
                </>
              )}
            </dl>
          </section>
          <Actions b={b} tz={tz} onChanged={load} />
          <MoneyPanel
            bookingId={b.id}
            flag={b.paymentFlag}
            owner={s.role === "owner"}
            stamp={stamp.value}
            onChanged={load}
          />
          {timeline.value && <Timeline data={timeline.value} tz={tz} />}
        </div>
      )}
    </section>
  );
}
