// What every step shares: its heading (focused when the customer moves between steps) with an optional back
// button, and the chosen service and time in one line.
import type { Ref } from "preact";
import type { I18n } from "../../models/i18n.ts";

export interface StepProps<S> {
  s: S;
  i18n: I18n;
  /** The step's heading, focused when the customer (not the page load) changed the step. */
  heading: Ref<HTMLHeadingElement>;
}

export function Top(props: {
  title: string;
  i18n: I18n;
  onBack?: (() => void) | undefined;
  hRef: Ref<HTMLHeadingElement>;
}) {
  return (
    <div class="top">
      {props.onBack && (
        <button type="button" class="back" onClick={props.onBack} aria-label={props.i18n.t("back")} data-back>
          ‹
        </button>
      )}
      <h2 id="bk-h" tabIndex={-1} ref={props.hRef}>
        {props.title}
      </h2>
    </div>
  );
}

/** The service's name and the booked time, with the zone when `showZone`. */
export function Summary(props: {
  name?: string | undefined;
  start: string;
  tz: string;
  i18n: I18n;
  showZone?: boolean;
}) {
  return (
    <div class="sum">
      <b>{props.name}</b>
      {props.i18n.dayTime(props.start, props.tz)}
      {props.showZone && ` (${props.tz.replace(/_/g, " ")})`}
    </div>
  );
}
