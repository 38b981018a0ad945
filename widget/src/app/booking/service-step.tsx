// The service step: the tenant's services with duration, deposit and price.
import type { PublicService } from "@bookra/sdk";
import type { BookingFlow } from "../../models/booking/flow.ts";
import type { StateOf } from "../../models/booking/machine.ts";
import type { I18n } from "../../models/i18n.ts";
import { type StepProps, Top } from "./top.tsx";

function depositOf(s: PublicService, i18n: I18n): string {
  const d = s.deposit;
  if (!d) return "";
  const amount = "percent" in d ? Math.round((s.price.amount * d.percent) / 100) : d.amount;
  return ` · ${i18n.t("deposit", { amount: i18n.money({ currency: s.price.currency, amount }) })}`;
}

export function ServiceStep({ flow, i18n, heading }: StepProps<StateOf<"service">> & { flow: BookingFlow }) {
  const catalog = flow.catalog.value;
  if (!catalog) return null;
  return (
    <>
      <Top title={i18n.t("chooseService")} i18n={i18n} hRef={heading} />
      <ul class="list">
        {catalog.services.map((s) => (
          <li key={s.id}>
            <button type="button" class="svc" data-service={s.id} onClick={() => flow.chooseService(s.id)}>
              <span>
                <b>{s.name}</b>
                <span class="mu">
                  {i18n.duration(s.durationMinutes)}
                  {depositOf(s, i18n)}
                </span>
              </span>
              <span class="price">{i18n.money(s.price)}</span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
