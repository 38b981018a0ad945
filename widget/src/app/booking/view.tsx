// The booking flow's view: the shell (frame, heading focus, live region) and one component per state of the
// machine (models/booking/machine.ts); all state lives in the models.
import type { ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";
import type { BookingFlow } from "../../models/booking/flow.ts";
import type { BookingState } from "../../models/booking/machine.ts";
import type { I18n } from "../../models/i18n.ts";
import { Frame, type Mode, useFocusOnChange } from "../frame.tsx";
import { lazyView } from "../lazy.tsx";
import { DetailsStep } from "./details-step.tsx";
import { ServiceStep } from "./service-step.tsx";
import { TimeStep, timeStatus } from "./time-step.tsx";

// Needed only once the customer has sent the form: chunks of their own, fetched during the details step.
const PaymentStep = lazyView(() => import("./payment-step.tsx").then((m) => m.PaymentStep));
const DoneStep = lazyView(() => import("./done-step.tsx").then((m) => m.DoneStep));

function status(s: BookingState, i18n: I18n): string {
  if (s.step === "loading") return i18n.t("loading");
  if (s.step === "time") return timeStatus(s, i18n);
  return s.step === "done" ? i18n.t("confirmed") : "";
}

export function BookingView(props: { flow: BookingFlow; i18n: I18n; mode: Mode; close?: ComponentChildren }) {
  const { flow, i18n } = props;
  const s = flow.state.value;
  const heading = useFocusOnChange<HTMLHeadingElement>(s.step);
  useEffect(() => flow.dispose, [flow]);
  useEffect(() => {
    if (s.step !== "details") return;
    void DoneStep.preload();
    if (flow.service.value?.deposit) void PaymentStep.preload();
  }, [s.step]);

  const step = { i18n, heading, flow };
  let body: ComponentChildren;
  switch (s.step) {
    case "loading":
      body = <p class="mu">{i18n.t("loading")}</p>;
      break;
    case "error":
      body = (
        <p class="note bad" role="alert">
          {i18n.t(s.reason)}
        </p>
      );
      break;
    case "service":
      body = <ServiceStep s={s} {...step} />;
      break;
    case "time":
      body = <TimeStep s={s} {...step} />;
      break;
    case "details":
      body = <DetailsStep s={s} {...step} />;
      break;
    case "payment":
      body = <PaymentStep s={s} {...step} />;
      break;
    case "done":
      body = <DoneStep s={s} {...step} />;
      break;
  }
  return (
    <Frame catalog={flow.catalog.value} mode={props.mode} status={status(s, i18n)} labelledBy="bk-h">
      {props.close}
      {body}
    </Frame>
  );
}
