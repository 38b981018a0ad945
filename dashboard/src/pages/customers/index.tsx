// Customers (managers and owners): /app/customers is the searchable list (the search in the URL), cursor pages behind
// "Load more"; /app/customers/<id> is one customer with their counts, latest bookings and private notes.
import type { CustomerDetail, CustomerSummary } from "@bookra/sdk/admin";
import { NotFoundError } from "@bookra/sdk/admin";
import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { fmtDay, t } from "../../models/i18n.ts";
import { subPath } from "../../models/paths.ts";
import { navigate, onLinkClick, route } from "../../models/router.ts";
import { api, attempt, session } from "../../models/session.ts";
import { toLocal } from "../../models/time.ts";
import { describedBy, formErrors } from "../bookings/field-errors.ts";
import { BookingRow } from "../bookings/row.tsx";
import "../bookings/bookings.css";
import { NOTES_MAX, normalizeNotes, notesState } from "./notes.ts";
import { tp } from "./texts.ts";

const Q_MAX = 100;

function CustomerList() {
  const tz = session.value!.tenant.timezone;
  const q = (route.value.query.get("q") ?? "").trim().slice(0, Q_MAX);
  const rows = useSignal<CustomerSummary[]>([]);
  const cursor = useSignal<string | null>(null);
  const loading = useSignal(true);
  const error = useSignal<{ fields: Record<string, string>; form: string | null } | null>(null);
  const seq = useRef(0);
  const load = async (after: string | null) => {
    const mine = ++seq.current;
    loading.value = true;
    const r = await attempt(() =>
      api.customers.list({ ...(q ? { q } : {}), limit: 50, ...(after ? { cursor: after } : {}) }),
    );
    if (mine !== seq.current) return;
    loading.value = false;
    if (!r.ok) {
      error.value = formErrors(r.cause, r.error, ["q"]);
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
  }, [q]);
  const submit = (e: Event) => {
    e.preventDefault();
    const next = String(new FormData(e.currentTarget as HTMLFormElement).get("q") ?? "")
      .trim()
      .slice(0, Q_MAX);
    if (next !== q) navigate(`/customers${next ? `?${new URLSearchParams({ q: next })}` : ""}`);
  };
  const qErr = error.value?.fields.q;
  return (
    <section class="page customers" aria-labelledby="page-title">
      <h1 id="page-title">{tp("title")}</h1>
      <form class="filters panel" aria-label={tp("search")} onSubmit={submit} key={q} noValidate>
        <div class="row">
          <div class="field">
            <label for="cf-q">{tp("search")}</label>
            <input
              id="cf-q"
              name="q"
              type="search"
              maxLength={Q_MAX}
              defaultValue={q}
              placeholder={tp("searchHint")}
              {...describedBy("cf-q", qErr)}
            />
            {qErr && (
              <p class="error" id="cf-q-err">
                {qErr}
              </p>
            )}
          </div>
        </div>
        <div class="buttons">
          <button type="submit" class="primary">
            {tp("find")}
          </button>
        </div>
      </form>
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
        <ul class="list customer-list">
          {rows.value.map((c) => {
            const href = `/customers/${encodeURIComponent(c.id)}`;
            return (
              <li key={c.id} class="booking">
                <a class="row-link" href={`/app${href}`} onClick={(e) => onLinkClick(e, href)}>
                  {c.name}
                </a>
                <span class="contact muted">
                  {c.phone ?? ""} {c.email}
                </span>
                <span class="muted">{tp("since", { date: fmtDay(toLocal(c.createdAt, tz).date, "short") })}</span>
              </li>
            );
          })}
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

function Notes({ c, onSaved }: { c: CustomerDetail; onSaved: (c: CustomerDetail) => void }) {
  const text = useSignal(c.notes ?? "");
  const busy = useSignal(false);
  const error = useSignal<string | null>(null);
  const saved = useSignal(false);
  const st = notesState(text.value, c.notes);
  const fieldError = st.over ? tp("over", { n: -st.remaining, max: NOTES_MAX }) : (error.value ?? undefined);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (st.over) {
      (e.currentTarget as HTMLFormElement).querySelector("textarea")?.focus();
      return;
    }
    busy.value = true;
    error.value = null;
    saved.value = false;
    const r = await attempt(() => api.customers.update(c.id, { notes: normalizeNotes(text.value) }));
    busy.value = false;
    if (r.ok) {
      saved.value = true;
      onSaved(r.value);
    } else {
      const fe = formErrors(r.cause, r.error, ["notes"]);
      error.value = fe.fields.notes ?? fe.form;
    }
  };
  return (
    <form class="panel notes" onSubmit={submit} noValidate>
      <div class="field">
        <label for="cu-notes">{tp("notes")}</label>
        <p class="muted" id="cu-notes-hint">
          {tp("notesHint")}
        </p>
        <textarea
          id="cu-notes"
          name="notes"
          value={text.value}
          onInput={(e) => {
            text.value = (e.currentTarget as HTMLTextAreaElement).value;
            saved.value = false;
          }}
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={`cu-notes-hint cu-notes-count${fieldError ? " cu-notes-err" : ""}`}
        />
        <p id="cu-notes-count" class={`counter muted${st.over ? " over" : ""}`}>
          {tp("counter", { n: st.length, max: NOTES_MAX })}
        </p>
        {fieldError && (
          <p class="error" id="cu-notes-err" role="alert">
            {fieldError}
          </p>
        )}
      </div>
      <div class="buttons">
        <button type="submit" class="primary" disabled={busy.value || st.unchanged}>
          {tp("save")}
        </button>
        {saved.value && (
          <p class="ok" role="status">
            {tp("saved")}
          </p>
        )}
      </div>
    </form>
  );
}

function CustomerPage({ id }: { id: string }) {
  const tz = session.value!.tenant.timezone;
  const customer = useSignal<CustomerDetail | null>(null);
  const error = useSignal<string | null>(null);
  const missing = useSignal(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const load = async () => {
    const r = await attempt(() => api.customers.get(id));
    if (r.ok) {
      customer.value = r.value;
      error.value = null;
    } else if (r.cause instanceof NotFoundError) missing.value = true;
    else error.value = r.error;
  };
  useEffect(() => {
    void load().then(() => heading.current?.focus());
  }, []);
  const c = customer.value;
  const all = `/bookings?${new URLSearchParams({ customer: id })}`;
  return (
    <section class="page customer-page" aria-labelledby="page-title">
      <p>
        <a href="/app/customers" onClick={(e) => onLinkClick(e, "/customers")}>
          ← {tp("back")}
        </a>
      </p>
      <h1 id="page-title" tabIndex={-1} ref={heading}>
        {c ? c.name : tp("title")}
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
      {!c && !missing.value && !error.value && <p class="muted">{t("loading")}</p>}
      {c && (
        <div class="booking-layout">
          <section class="panel" aria-labelledby="cu-contact">
            <h2 id="cu-contact">{tp("since", { date: fmtDay(toLocal(c.createdAt, tz).date, "short") })}</h2>
            <dl class="details">
              <dt>{tp("email")}</dt>
              <dd>
                <a href={`mailto:${c.email}`}>{c.email}</a>
              </dd>
              {c.phone && (
                <>
                  <dt>{tp("phone")}</dt>
                  <dd>
                    <a href={`tel:${c.phone}`}>{c.phone}</a>
                  </dd>
                </>
              )}
            </dl>
            <h3>{tp("counts")}</h3>
            <dl class="counts">
              {(["total", "completed", "noShows", "cancelled"] as const).map((k) => (
                <div key={k}>
                  <dt>{tp(k)}</dt>
                  <dd data-count={k}>{c.counts[k]}</dd>
                </div>
              ))}
            </dl>
          </section>
          <Notes
            c={c}
            key={c.id}
            onSaved={(next) => {
              customer.value = next;
            }}
          />
          <section class="panel" aria-labelledby="cu-bookings">
            <h2 id="cu-bookings">{tp("bookings")}</h2>
            {c.bookings.length === 0 ? (
              <p class="muted">{tp("noBookings")}</p>
            ) : (
              <ul class="list results">
                {c.bookings.map((b) => (
                  <BookingRow key={b.id} b={b} tz={tz} showCustomer={false} />
                ))}
              </ul>
            )}
            {c.counts.total > 0 && (
              <p>
                <a href={`/app${all}`} onClick={(e) => onLinkClick(e, all)}>
                  {tp("allBookings")}
                </a>
              </p>
            )}
          </section>
        </div>
      )}
    </section>
  );
}

export function Page() {
  const id = subPath(route.value.path);
  return id ? <CustomerPage id={id} key={id} /> : <CustomerList />;
}
