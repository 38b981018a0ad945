// Setup › Services: the list, and a form per service (/app/setup/services/<id> or /new): duration, buffers, notice,
// booking window, start step, price, deposit (a percentage or an amount) and the staff who perform it; delete asks
// first. Prices are typed in the business's currency and sent in minor units.
import type { Service, ServiceCreate, Staff } from "@bookra/sdk/admin";
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { fmtMoney, t } from "../../models/i18n.ts";
import { navigate, onLinkClick } from "../../models/router.ts";
import { api, attempt, session } from "../../models/session.ts";
import { all, fieldErrors, fromMinor, toInt, toMinor } from "./forms.ts";
import { tp } from "./texts.ts";
import { ConfirmDelete, type Errors, SaveBar, Text, withSummary } from "./ui.tsx";

const MINUTES = ["durationMinutes", "bufferBeforeMinutes", "bufferAfterMinutes", "minNoticeMinutes", "slotStepMinutes"];

type Draft = Record<string, string>;

function draftOf(s: Service | null, currency: string): Draft {
  const dep = s?.deposit;
  return {
    name: s?.name ?? "",
    durationMinutes: String(s?.durationMinutes ?? 60),
    bufferBeforeMinutes: String(s?.bufferBeforeMinutes ?? 0),
    bufferAfterMinutes: String(s?.bufferAfterMinutes ?? 0),
    minNoticeMinutes: String(s?.minNoticeMinutes ?? 0),
    maxAdvanceDays: String(s?.maxAdvanceDays ?? 90),
    slotStepMinutes: String(s?.slotStepMinutes ?? 15),
    price: s ? fromMinor(s.price.amount, s.price.currency) : "",
    depositKind: dep ? ("percent" in dep ? "percent" : "amount") : "none",
    deposit: dep ? ("percent" in dep ? String(dep.percent) : fromMinor(dep.amount, currency)) : "",
  };
}

/** The form's values as the API's input, or the fields that cannot be read. */
function inputOf(
  d: Draft,
  currency: string,
  staffIds: string[],
): { ok: true; input: ServiceCreate } | { ok: false; errors: Errors } {
  const bad: Errors = {};
  const ints: Record<string, number> = {};
  for (const k of [...MINUTES, "maxAdvanceDays"]) {
    const n = toInt(d[k]!);
    if (n === null) bad[k] = tp("errNumber");
    else ints[k] = n;
  }
  if (!d.name!.trim()) bad.name = tp("errRequired");
  const amount = toMinor(d.price!, currency);
  if (amount === null) bad.price = tp("errAmount");
  let deposit: ServiceCreate["deposit"] = null;
  if (d.depositKind === "percent") {
    const p = toInt(d.deposit!);
    if (p === null) bad.deposit = tp("errNumber");
    else deposit = { percent: p };
  } else if (d.depositKind === "amount") {
    const a = toMinor(d.deposit!, currency);
    if (a === null) bad.deposit = tp("errAmount");
    else deposit = { amount: a };
  }
  if (Object.keys(bad).length) return { ok: false, errors: bad };
  const input: ServiceCreate = {
    name: d.name!.trim(),
    durationMinutes: ints.durationMinutes!,
    bufferBeforeMinutes: ints.bufferBeforeMinutes!,
    bufferAfterMinutes: ints.bufferAfterMinutes!,
    minNoticeMinutes: ints.minNoticeMinutes!,
    maxAdvanceDays: ints.maxAdvanceDays!,
    slotStepMinutes: ints.slotStepMinutes!,
    price: { amount: amount!, currency },
    deposit,
    staffIds,
  };
  return { ok: true, input };
}

/** An API issue's path as the form's field: `price.amount` is the price, `deposit.*` the deposit. */
function fieldOf(key: string): string | null {
  const head = key.split(".")[0] ?? "";
  if (head === "price" || head === "deposit" || head === "name" || head === "maxAdvanceDays") return head;
  if (head === "staffIds") return "staff";
  return MINUTES.includes(head) ? head : null;
}

function ServiceForm(props: { service: Service | null; staff: Staff[]; onDone: (created?: Service) => Promise<void> }) {
  const currency = session.value!.tenant.currency;
  const s = props.service;
  const draft = useSignal<Draft>(draftOf(s, currency));
  const staffIds = useSignal<string[]>(s?.staffIds ?? []);
  const errors = useSignal<Errors>({});
  const busy = useSignal(false);
  const saved = useSignal(false);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    saved.value = false;
    const read = inputOf(draft.value, currency, staffIds.value);
    if (!read.ok) {
      errors.value = withSummary(read.errors);
      return;
    }
    const input = read.input;
    busy.value = true;
    const r = await attempt(() => (s ? api.services.update(s.id, input) : api.services.create(input)));
    busy.value = false;
    if (!r.ok) {
      errors.value = withSummary(fieldErrors(r.cause, r.error, fieldOf));
      return;
    }
    errors.value = {};
    saved.value = true;
    await props.onDone(s ? undefined : r.value);
  };
  const remove = async () => {
    if (!s) return;
    busy.value = true;
    const r = await attempt(() => api.services.delete(s.id));
    busy.value = false;
    if (r.ok) await props.onDone();
    else errors.value = { form: r.error };
  };
  const e = errors.value;
  const d = draft.value;
  const num = { draft, errors: e, inputMode: "numeric" as const };
  return (
    <section class="panel" aria-labelledby="service-title">
      <h2 id="service-title">{s ? tp("editService", { name: s.name }) : tp("newService")}</h2>
      <form noValidate onSubmit={submit}>
        <div class="form-grid">
          <Text id="sv-name" label={tp("svcName")} name="name" draft={draft} errors={e} autocomplete="off" />
          <Text
            id="sv-price"
            label={tp("price", { currency })}
            name="price"
            draft={draft}
            errors={e}
            inputMode="decimal"
          />
          <Text id="sv-duration" label={tp("duration")} name="durationMinutes" {...num} />
          <Text id="sv-step" label={tp("step")} name="slotStepMinutes" {...num} />
          <Text id="sv-before" label={tp("bufferBefore")} name="bufferBeforeMinutes" {...num} />
          <Text id="sv-after" label={tp("bufferAfter")} name="bufferAfterMinutes" {...num} />
          <Text id="sv-notice" label={tp("notice")} name="minNoticeMinutes" {...num} />
          <Text id="sv-window" label={tp("window")} name="maxAdvanceDays" {...num} />
        </div>
        <fieldset class="checks">
          <legend>{tp("deposit")}</legend>
          {(["none", "percent", "amount"] as const).map((k) => (
            <label key={k} class="check">
              <input
                type="radio"
                name="depositKind"
                checked={d.depositKind === k}
                onChange={() => (draft.value = { ...draft.value, depositKind: k })}
              />
              {tp(k === "none" ? "depositNone" : k === "percent" ? "depositPercent" : "depositAmount")}
            </label>
          ))}
          {d.depositKind !== "none" && (
            <Text
              id="sv-deposit"
              label={d.depositKind === "percent" ? tp("depositValuePercent") : tp("depositValueAmount", { currency })}
              name="deposit"
              draft={draft}
              errors={e}
              inputMode="decimal"
            />
          )}
        </fieldset>
        <fieldset class="checks" {...(e.staff ? { "aria-describedby": "sv-staff-err" } : {})}>
          <legend>{tp("whoPerforms")}</legend>
          {props.staff.length === 0 && <p class="muted">{tp("noStaffYet")}</p>}
          {props.staff.map((m) => (
            <label key={m.id} class="check">
              <input
                type="checkbox"
                checked={staffIds.value.includes(m.id)}
                onChange={() =>
                  (staffIds.value = staffIds.value.includes(m.id)
                    ? staffIds.value.filter((x) => x !== m.id)
                    : [...staffIds.value, m.id])
                }
              />
              {m.name}
            </label>
          ))}
          {e.staff && (
            <p class="error" id="sv-staff-err">
              {e.staff}
            </p>
          )}
        </fieldset>
        <SaveBar busy={busy.value} errors={e} saved={saved.value}>
          {s && (
            <ConfirmDelete
              label={tp("delete")}
              question={tp("confirmDelete", { name: s.name })}
              busy={busy.value}
              onConfirm={() => void remove()}
            />
          )}
        </SaveBar>
      </form>
    </section>
  );
}

export function ServicesSection({ sub }: { sub: string | undefined }) {
  const services = useSignal<Service[] | null>(null);
  const staff = useSignal<Staff[]>([]);
  const error = useSignal<string | null>(null);
  const load = async () => {
    const r = await attempt(() =>
      Promise.all([all(api.services.list({ limit: 100 })), all(api.staff.list({ limit: 100 }))]),
    );
    if (r.ok) {
      [services.value, staff.value] = r.value;
      error.value = null;
    } else error.value = r.error;
  };
  useEffect(() => {
    void load();
  }, []);
  if (error.value)
    return (
      <p class="error" role="alert">
        {error.value}{" "}
        <button type="button" onClick={() => void load()}>
          {t("retry")}
        </button>
      </p>
    );
  const list = services.value;
  if (!list) return <p class="muted">{t("loading")}</p>;
  if (sub) {
    const svc = sub === "new" ? null : list.find((x) => x.id === sub);
    if (svc === undefined) return <p role="alert">{t("notFound")}</p>;
    return (
      <div>
        <p>
          <a href="/app/setup/services" onClick={(e) => onLinkClick(e, "/setup/services")}>
            <span aria-hidden="true">‹ </span>
            {tp("services")}
          </a>
        </p>
        <ServiceForm
          key={svc?.id ?? "new"}
          service={svc}
          staff={staff.value}
          onDone={async (created) => {
            await load();
            if (created) navigate(`/setup/services/${created.id}`);
            else if (svc && !services.value?.some((x) => x.id === svc.id)) navigate("/setup/services");
          }}
        />
      </div>
    );
  }
  return (
    <section class="panel" aria-labelledby="services-title">
      <h2 id="services-title">{tp("services")}</h2>
      {list.length === 0 && <p class="muted">{tp("noServices")}</p>}
      <ul class="list rows">
        {list.map((x) => (
          <li key={x.id} class="row">
            <strong>{x.name}</strong>
            <span class="muted">{tp("serviceSummary", { min: x.durationMinutes, price: fmtMoney(x.price) })}</span>
            <a
              class="button"
              href={`/app/setup/services/${x.id}`}
              onClick={(e) => onLinkClick(e, `/setup/services/${x.id}`)}
            >
              {tp("edit")}
              <span class="visually-hidden"> {x.name}</span>
            </a>
          </li>
        ))}
      </ul>
      <p>
        <a class="button primary" href="/app/setup/services/new" onClick={(e) => onLinkClick(e, "/setup/services/new")}>
          + {tp("addService")}
        </a>
      </p>
    </section>
  );
}
