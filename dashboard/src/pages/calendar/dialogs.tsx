// The calendar's two dialogs: a walk-in or phone booking at a chosen time, and a booking's details with a form to
// move it (the keyboard's and the phone's way to reschedule). Errors show by the field they concern.
import type { CalendarBooking } from "@bookra/sdk/admin";
import { useSignal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { fmtDay, fmtMinutes, fmtMoney, fmtTime, t } from "../../models/i18n.ts";
import { hhmm, toLocal } from "../../models/time.ts";
import { bookWalkIn, type Column, moveBooking, type Params, servicesFor } from "./model.ts";

function Modal({ title, onClose, children }: { title: string; onClose: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  const mounted = useRef(true);
  useEffect(() => {
    const d = ref.current!;
    if (!d.open) d.showModal();
    return () => {
      // Closing on unmount fires a late `close` event: it must not close the dialog that replaced this one.
      mounted.current = false;
      if (d.open) d.close();
    };
  }, []);
  return (
    <dialog ref={ref} class="dialog" aria-labelledby="dialog-title" onClose={() => mounted.current && onClose()}>
      <h2 id="dialog-title">{title}</h2>
      {children}
    </dialog>
  );
}

function Field(props: { id: string; label: string; error?: string | undefined; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.error && (
        <p class="error" id={`${props.id}-err`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

export function WalkInDialog(props: { col: Column; minute: number; p: Params; onClose: () => void }) {
  const { col, minute } = props;
  const errors = useSignal<Record<string, string>>({});
  const busy = useSignal(false);
  const offered = servicesFor(col.staffId);
  const submit = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    busy.value = true;
    const res = await bookWalkIn(
      col,
      minute,
      {
        serviceId: String(f.get("serviceId") ?? ""),
        name: String(f.get("name") ?? ""),
        email: String(f.get("email") ?? ""),
        phone: String(f.get("phone") ?? ""),
      },
      props.p,
    );
    busy.value = false;
    if (res) errors.value = res;
    else props.onClose();
  };
  const err = (k: string) => errors.value[k];
  const described = (k: string) => (err(k) ? { "aria-invalid": true, "aria-describedby": `wi-${k}-err` } : {});
  return (
    <Modal title={t("walkIn")} onClose={props.onClose}>
      <p>
        {col.staffName} · {fmtDay(col.date)} · {fmtMinutes(minute)}
      </p>
      <form onSubmit={submit} noValidate>
        <Field id="wi-serviceId" label={t("service")} error={err("serviceId")}>
          <select id="wi-serviceId" name="serviceId" required {...described("serviceId")}>
            {offered.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({t("duration", { n: s.durationMinutes })})
              </option>
            ))}
          </select>
        </Field>
        <Field id="wi-name" label={t("customerName")} error={err("name")}>
          <input id="wi-name" name="name" autocomplete="off" required {...described("name")} />
        </Field>
        <Field id="wi-email" label={t("customerEmail")} error={err("email")}>
          <input id="wi-email" name="email" type="email" autocomplete="off" required {...described("email")} />
        </Field>
        <Field id="wi-phone" label={t("customerPhone")} error={err("phone")}>
          <input id="wi-phone" name="phone" type="tel" autocomplete="off" {...described("phone")} />
        </Field>
        {err("form") && (
          <p class="error" role="alert">
            {err("form")}
          </p>
        )}
        <div class="buttons">
          <button type="submit" class="primary" disabled={busy.value}>
            {busy.value ? t("working") : t("book")}
          </button>
          <button type="button" onClick={props.onClose}>
            {t("cancel")}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function BookingDialog(props: { b: CalendarBooking; tz: string; p: Params; onClose: () => void }) {
  const { b, tz } = props;
  const local = toLocal(b.start, tz);
  const movable = b.status === "confirmed" || b.status === "pending_payment";
  const submit = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const [h, m] = String(f.get("time")).split(":").map(Number);
    props.onClose();
    await moveBooking(b, String(f.get("date")), (h ?? 0) * 60 + (m ?? 0), props.p);
  };
  return (
    <Modal title={`${b.customer.name} · ${b.serviceName}`} onClose={props.onClose}>
      <dl class="details">
        <dt>{t("start")}</dt>
        <dd>
          {fmtDay(local.date)} {fmtTime(b.start, tz)}–{fmtTime(b.end, tz)}
        </dd>
        <dt>{t("customer")}</dt>
        <dd>
          {b.customer.name} · <a href={`mailto:${b.customer.email}`}>{b.customer.email}</a>
        </dd>
        {b.customer.phone && (
          <>
            <dt>{t("phone")}</dt>
            <dd>
              <a href={`tel:${b.customer.phone}`}>{b.customer.phone}</a>
            </dd>
          </>
        )}
        <dt>{t("price")}</dt>
        <dd>{fmtMoney(b.price)}</dd>
        <dt>{t("view")}</dt>
        <dd>
          <span class={`badge status-${b.status}`}>{t(`status.${b.status}`)}</span>
        </dd>
      </dl>
      {movable && (
        <form onSubmit={submit} class="move-form">
          <fieldset>
            <legend>{t("moveTo")}</legend>
            <Field id="mv-date" label={t("date")}>
              <input id="mv-date" name="date" type="date" required value={local.date} />
            </Field>
            <Field id="mv-time" label={t("time")}>
              <input id="mv-time" name="time" type="time" step={900} required value={hhmm(local.minutes)} />
            </Field>
            <button type="submit" class="primary">
              {t("move")}
            </button>
          </fieldset>
        </form>
      )}
      <div class="buttons">
        <button type="button" onClick={props.onClose}>
          {t("cancel")}
        </button>
      </div>
    </Modal>
  );
}
