// The bookings list: search (name, e-mail, phone), filters (status, staff, service, dates in the business's zone) kept
// in the URL query, and cursor pages behind "Load more". A staff member's list is narrowed to them by the API.
import type { AdminBooking } from "@bookra/sdk/admin";
import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { t } from "../../models/i18n.ts";
import { navigate, route } from "../../models/router.ts";
import { api, attempt, session } from "../../models/session.ts";
import { describedBy, formErrors } from "./field-errors.ts";
import {
  EMPTY,
  type Filters,
  filtersFromQuery,
  filtersToApi,
  filtersToQuery,
  Q_MAX,
  rangeInverted,
  STATUSES,
  type Status,
} from "./filters.ts";
import { BookingRow } from "./row.tsx";
import { tp } from "./texts.ts";

const FIELDS = ["q", "status", "staffId", "serviceId", "customerId", "from", "to"] as const;
type Option = { id: string; name: string };

/** Staff and services for the filters (a staff member cannot list staff: that filter is theirs anyway). */
function useOptions(isStaff: boolean) {
  const staff = useSignal<Option[]>([]);
  const services = useSignal<Option[]>([]);
  useEffect(() => {
    if (!isStaff)
      void attempt(() => api.staff.list({ limit: 100 })).then((r) => {
        if (r.ok) staff.value = r.value.data.map((s) => ({ id: s.id, name: s.name }));
      });
    void attempt(() => api.services.list({ limit: 100 })).then((r) => {
      if (r.ok) services.value = r.value.data.map((s) => ({ id: s.id, name: s.name }));
    });
  }, []);
  return { staff, services };
}

function FieldError({ id, error }: { id: string; error: string | undefined }) {
  return error ? (
    <p class="error" id={`${id}-err`}>
      {error}
    </p>
  ) : null;
}

function FilterForm(props: { current: Filters; errors: Record<string, string>; onApply: (f: Filters) => void }) {
  const { current, onApply } = props;
  const s = session.value!;
  const isStaff = s.role === "staff";
  const { staff, services } = useOptions(isStaff);
  const invalid = useSignal<string | null>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    const fd = new FormData(e.currentTarget as HTMLFormElement);
    const f: Filters = {
      q: String(fd.get("q") ?? "").slice(0, Q_MAX),
      status: STATUSES.filter((x) => fd.getAll("status").includes(x)),
      staffId: String(fd.get("staffId") ?? ""),
      serviceId: String(fd.get("serviceId") ?? ""),
      customerId: String(fd.get("customerId") ?? ""),
      from: String(fd.get("from") ?? ""),
      to: String(fd.get("to") ?? ""),
    };
    if (rangeInverted(f)) {
      invalid.value = tp("rangeInverted");
      (e.currentTarget as HTMLFormElement).querySelector<HTMLInputElement>("#bf-to")?.focus();
      return;
    }
    invalid.value = null;
    onApply(f);
  };
  // a new URL (back button, a shared link) resets the form's fields to it
  const key = filtersToQuery(current);
  const err = (name: string) => (name === "to" && invalid.value) || props.errors[name];
  return (
    <form class="filters panel" aria-label={tp("filters")} onSubmit={submit} key={key} noValidate>
      {current.customerId && <input type="hidden" name="customerId" value={current.customerId} />}
      <div class="field search">
        <label for="bf-q">{tp("search")}</label>
        <input
          id="bf-q"
          name="q"
          type="search"
          maxLength={Q_MAX}
          defaultValue={current.q}
          placeholder={tp("searchHint")}
          aria-describedby={err("q") ? "bf-q-hint bf-q-err" : "bf-q-hint"}
          aria-invalid={err("q") ? true : undefined}
        />
        <FieldError id="bf-q" error={err("q")} />
        <span id="bf-q-hint" class="visually-hidden">
          {tp("searchHint")}
        </span>
      </div>
      <fieldset class="statuses" aria-describedby={err("status") ? "bf-status-err" : undefined}>
        <legend>{tp("status")}</legend>
        {STATUSES.map((st: Status) => (
          <label key={st} class="check">
            <input type="checkbox" name="status" value={st} defaultChecked={current.status.includes(st)} />{" "}
            {t(`status.${st}`)}
          </label>
        ))}
        <FieldError id="bf-status" error={err("status")} />
      </fieldset>
      <div class="row">
        {!isStaff && (
          <div class="field">
            <label for="bf-staff">{tp("staff")}</label>
            <select
              id="bf-staff"
              name="staffId"
              defaultValue={current.staffId}
              {...describedBy("bf-staff", err("staffId"))}
            >
              <option value="">{tp("anyStaff")}</option>
              {staff.value.map((o) => (
                <option key={o.id} value={o.id} selected={o.id === current.staffId}>
                  {o.name}
                </option>
              ))}
            </select>
            <FieldError id="bf-staff" error={err("staffId")} />
          </div>
        )}
        <div class="field">
          <label for="bf-service">{tp("service")}</label>
          <select
            id="bf-service"
            name="serviceId"
            defaultValue={current.serviceId}
            {...describedBy("bf-service", err("serviceId"))}
          >
            <option value="">{tp("anyService")}</option>
            {services.value.map((o) => (
              <option key={o.id} value={o.id} selected={o.id === current.serviceId}>
                {o.name}
              </option>
            ))}
          </select>
          <FieldError id="bf-service" error={err("serviceId")} />
        </div>
        <div class="field">
          <label for="bf-from">{tp("from")}</label>
          <input
            id="bf-from"
            name="from"
            type="date"
            defaultValue={current.from}
            {...describedBy("bf-from", err("from"))}
          />
          <FieldError id="bf-from" error={err("from")} />
        </div>
        <div class="field">
          <label for="bf-to">{tp("to")}</label>
          <input id="bf-to" name="to" type="date" defaultValue={current.to} {...describedBy("bf-to", err("to"))} />
          <FieldError id="bf-to" error={err("to")} />
        </div>
      </div>
      <div class="buttons">
        <button type="submit" class="primary">
          {tp("apply")}
        </button>
        <button type="button" onClick={() => onApply(EMPTY)}>
          {tp("clear")}
        </button>
      </div>
    </form>
  );
}

export function BookingList() {
  const tz = session.value!.tenant.timezone;
  const filters = filtersFromQuery(route.value.query);
  const key = filtersToQuery(filters);
  const rows = useSignal<AdminBooking[]>([]);
  const cursor = useSignal<string | null>(null);
  const loading = useSignal(true);
  const error = useSignal<{ fields: Record<string, string>; form: string | null } | null>(null);
  const seq = useRef(0);
  const load = async (after: string | null) => {
    const mine = ++seq.current;
    loading.value = true;
    const r = await attempt(() =>
      api.bookings.list({ ...filtersToApi(filters), limit: 50, ...(after ? { cursor: after } : {}) }),
    );
    if (mine !== seq.current) return; // a newer search has started: this answer is stale
    loading.value = false;
    if (!r.ok) {
      error.value = formErrors(r.cause, r.error, FIELDS);
      return;
    }
    error.value = null;
    rows.value = after ? [...rows.value, ...r.value.data] : r.value.data;
    cursor.value = r.value.nextCursor;
  };
  useEffect(() => {
    rows.value = [];
    cursor.value = null;
    void load(null);
  }, [key]);
  const apply = (f: Filters) => {
    const qs = filtersToQuery(f);
    if (qs !== key) navigate(`/bookings${qs ? `?${qs}` : ""}`);
  };
  return (
    <section class="page bookings" aria-labelledby="page-title">
      <h1 id="page-title">{tp("title")}</h1>
      <FilterForm current={filters} errors={error.value?.fields ?? {}} onApply={apply} />
      {error.value?.form && (
        <p class="error" role="alert">
          {error.value.form}{" "}
          <button type="button" onClick={() => void load(null)}>
            {t("retry")}
          </button>
        </p>
      )}
      <p class="muted" aria-live="polite">
        {loading.value ? t("loading") : rows.value.length ? tp("shown", { n: rows.value.length }) : tp("none")}
      </p>
      {rows.value.length > 0 && (
        <ul class="list results">
          {rows.value.map((b) => (
            <BookingRow key={b.id} b={b} tz={tz} />
          ))}
        </ul>
      )}
      {cursor.value && (
        <button type="button" class="more" disabled={loading.value} onClick={() => void load(cursor.value)}>
          {tp("loadMore")}
        </button>
      )}
    </section>
  );
}
