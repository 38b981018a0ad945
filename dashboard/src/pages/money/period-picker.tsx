// The period picker: this week, this month, last month, or a custom from–to, counted in the business's time zone.
// A custom range the API would refuse is said at its field and never asked for.
import { useSignal } from "@preact/signals";
import { describedBy } from "../bookings/field-errors.ts";
import { customProblem, MAX_PERIOD_DAYS, PERIOD_CHOICES, type Period, type PeriodChoice, periodFor } from "./model.ts";
import { tp } from "./texts.ts";

export function PeriodPicker({
  today,
  value,
  onChange,
  idPrefix,
}: {
  today: string;
  value: { choice: PeriodChoice; period: Period };
  onChange: (v: { choice: PeriodChoice; period: Period }) => void;
  idPrefix: string;
}) {
  const choice = useSignal<PeriodChoice>(value.choice);
  const problem = useSignal<ReturnType<typeof customProblem>>(null);
  const pick = (c: PeriodChoice) => {
    choice.value = c;
    problem.value = null;
    if (c !== "custom") onChange({ choice: c, period: periodFor(c, today) });
  };
  const submit = (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const p = { from: String(data.get("from") ?? ""), to: String(data.get("to") ?? "") };
    problem.value = customProblem(p);
    if (!problem.value) onChange({ choice: "custom", period: p });
  };
  const err = (field: "from" | "to") => {
    const p = problem.value;
    if (!p || p.field !== field) return undefined;
    return p.code === "date"
      ? tp("badDate")
      : p.code === "order"
        ? tp("badOrder")
        : tp("tooLong", { n: MAX_PERIOD_DAYS });
  };
  return (
    <form class="filters panel period" onSubmit={submit} noValidate>
      <fieldset>
        <legend>{tp("period")}</legend>
        <div class="row">
          {PERIOD_CHOICES.map((c) => (
            <label key={c} class="choice">
              <input
                type="radio"
                name={`${idPrefix}-choice`}
                value={c}
                checked={choice.value === c}
                onChange={() => pick(c)}
              />{" "}
              {tp(c)}
            </label>
          ))}
        </div>
      </fieldset>
      {choice.value === "custom" && (
        <div class="row">
          {(["from", "to"] as const).map((f) => {
            const id = `${idPrefix}-${f}`;
            const e = err(f);
            return (
              <div class="field" key={f}>
                <label for={id}>{tp(f)}</label>
                <input id={id} name={f} type="date" defaultValue={value.period[f]} {...describedBy(id, e)} />
                {e && (
                  <p class="error" id={`${id}-err`}>
                    {e}
                  </p>
                )}
              </div>
            );
          })}
          <div class="buttons">
            <button type="submit" class="primary">
              {tp("show")}
            </button>
          </div>
        </div>
      )}
    </form>
  );
}
