// The booking flow's views, one per step of the model; all state lives in models/booking-flow.ts.
import type { ComponentChildren, Ref } from "preact";
import { useEffect } from "preact/hooks";
import type { BookingFlow } from "../models/booking-flow.ts";
import { DetailsForm } from "./details-form.tsx";
import { Frame, type Mode, useFocusOnChange } from "./frame.tsx";
import { TimePicker } from "./time-picker.tsx";

interface TopProps {
  title: string;
  backLabel: string;
  onBack?: (() => void) | undefined;
  hRef?: Ref<HTMLHeadingElement>;
}

function Top({ title, backLabel, onBack, hRef }: TopProps) {
  return (
    <div class="top">
      {onBack && (
        <button type="button" class="back" onClick={onBack} aria-label={backLabel} data-back>
          ‹
        </button>
      )}
      <h2 id="bk-h" tabIndex={-1} ref={hRef}>
        {title}
      </h2>
    </div>
  );
}

function mmss(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

export function BookingView({ flow, mode, close }: { flow: BookingFlow; mode: Mode; close?: ComponentChildren }) {
  const { i18n } = flow.env;
  const t = i18n.t;
  const step = flow.step.value;
  const catalog = flow.catalog.value;
  const service = flow.service.value;
  const picker = flow.picker.value;
  const heading = useFocusOnChange<HTMLHeadingElement>(step);
  useEffect(() => flow.dispose, [flow]);

  const backLabel = t("back");
  const svcLine = service && (
    <p class="mu">
      {service.name} · {i18n.duration(service.durationMinutes)} · {i18n.money(service.price)}
    </p>
  );
  const slot = flow.slot.value;
  const tz = picker?.tz.value ?? "UTC";
  let body: ComponentChildren;
  let status = "";
  if (step === "loading") {
    body = <p class="mu">{t("loading")}</p>;
    status = t("loading");
  } else if (step === "error") {
    body = (
      <p class="note bad" role="alert">
        {t(flow.fatal.value ?? "loadFailed")}
      </p>
    );
  } else if (step === "service" && catalog) {
    body = (
      <>
        <Top title={t("chooseService")} backLabel={backLabel} hRef={heading} />
        <ul class="list">
          {catalog.services.map((s) => (
            <li key={s.id}>
              <button type="button" class="svc" data-service={s.id} onClick={() => flow.chooseService(s.id)}>
                <span>
                  <b>{s.name}</b>
                  <span class="mu">
                    {i18n.duration(s.durationMinutes)}
                    {s.deposit && " · "}
                    {s.deposit &&
                      t("deposit", {
                        amount: i18n.money({
                          currency: s.price.currency,
                          amount:
                            "percent" in s.deposit
                              ? Math.round((s.price.amount * s.deposit.percent) / 100)
                              : s.deposit.amount,
                        }),
                      })}
                  </span>
                </span>
                <span class="price">{i18n.money(s.price)}</span>
              </button>
            </li>
          ))}
        </ul>
      </>
    );
  } else if (step === "time" && picker) {
    const day = picker.selectedDate.value;
    const n = picker.daySlots.value.length;
    status = picker.loading.value ? t("loading") : day && n ? t("freeTimes", { n, date: i18n.day(day) }) : "";
    body = (
      <>
        <Top
          title={t("chooseTime")}
          backLabel={backLabel}
          onBack={flow.canChooseService ? flow.back : undefined}
          hRef={heading}
        />
        {svcLine}
        {flow.notice.value && (
          <p class="note" role="alert">
            {t(flow.notice.value)}
          </p>
        )}
        <TimePicker picker={picker} i18n={i18n} staff={flow.staffFor.value} onChoose={flow.chooseSlot} />
      </>
    );
  } else if (step === "details" && slot) {
    body = (
      <>
        <Top title={t("details")} backLabel={backLabel} onBack={flow.back} hRef={heading} />
        <div class="sum">
          <b>{service?.name}</b>
          {i18n.dayTime(slot.start, tz)} ({tz.replace(/_/g, " ")})
        </div>
        <DetailsForm flow={flow} />
      </>
    );
  } else if (step === "payment") {
    const r = flow.result.value!;
    const left = flow.holdLeftMs.value;
    body = (
      <>
        <Top title={t("pay")} backLabel={backLabel} hRef={heading} />
        <div class="sum">
          <b>{service?.name}</b>
          {i18n.dayTime(r.booking.start, tz)}
        </div>
        {flow.holdExpired.value ? (
          <>
            <p class="note bad" role="alert">
              {t("holdExpired")}
            </p>
            <button type="button" class="btn pri" onClick={flow.again}>
              {t("again")}
            </button>
          </>
        ) : (
          <>
            <p>{t("payBody")}</p>
            <p class="timer" role="timer" aria-label={t("holdLeft", { left: mmss(left) })}>
              {mmss(left)}
            </p>
            <a class="btn pri" href={r.checkout?.url} target="_blank" rel="noopener">
              {t("openPayment")}
            </a>
          </>
        )}
      </>
    );
  } else if (step === "done") {
    const r = flow.result.value!;
    const links = flow.links();
    status = t("confirmed");
    body = (
      <div class="done">
        <div class="ok" aria-hidden="true">
          ✓
        </div>
        <h2 id="bk-h" tabIndex={-1} ref={heading}>
          {t("confirmed")}
        </h2>
        <div class="sum">
          <b>{service?.name}</b>
          {i18n.dayTime(r.booking.start, tz)} ({tz.replace(/_/g, " ")})
        </div>
        <p>{t("confirmedBody", { email: flow.draft.value.email })}</p>
        {links && (
          <div class="acts">
            <a class="btn" href={links.google} target="_blank" rel="noopener" data-google>
              {t("addGoogle")}
            </a>
            <a class="btn" href={links.ics} download="booking.ics" data-ics>
              {t("addIcs")}
            </a>
            <a class="btn" href={flow.manageUrl()} target="_blank" rel="noopener">
              {t("manage")}
            </a>
          </div>
        )}
      </div>
    );
  }
  return (
    <Frame catalog={catalog} mode={mode} status={status} labelledBy="bk-h">
      {close}
      {body}
    </Frame>
  );
}
