// Webhook endpoints: the list, a new endpoint (its signing secret shown once), deleting with a confirmation, and per
// endpoint its delivery log (cursor pages, newest first) and a "send test event" that watches the log until the
// test's delivery arrives.
import type { WebhookDelivery, WebhookEndpoint } from "@bookra/sdk/admin";
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { Field, type FieldErrors, fieldErrors, invalid, required } from "../../app/forms.tsx";
import { t } from "../../models/i18n.ts";
import { api, attempt } from "../../models/session.ts";
import { ConfirmButton } from "./confirm.tsx";
import { CopyButton } from "./copy-button.tsx";
import { fmtWhen } from "./format.ts";
import { tp } from "./texts.ts";

export const EVENT_TYPES = [
  "booking.created",
  "booking.confirmed",
  "booking.cancelled",
  "booking.rescheduled",
  "booking.expired",
] as const;

/** How often, and how long, the log is read again while a test event is on its way. */
const WATCH_EVERY_MS = 1_000;
const WATCH_FOR_MS = 30_000;

function DeliveryLog({ ep, watching }: { ep: WebhookEndpoint; watching: string | null }) {
  const rows = useSignal<WebhookDelivery[] | null>(null);
  const cursor = useSignal<string | null>(null);
  const error = useSignal<string | null>(null);
  const load = async (more = false) => {
    const r = await attempt(() =>
      api.webhookDeliveries.list(ep.id, more && cursor.value ? { cursor: cursor.value } : {}),
    );
    if (!r.ok) {
      error.value = r.error;
      return;
    }
    error.value = null;
    rows.value = more ? [...(rows.value ?? []), ...r.value.data] : r.value.data;
    cursor.value = r.value.nextCursor;
  };
  useEffect(() => {
    void load();
  }, []);
  // a test event on its way: read the first page again until its delivery shows (or give up after WATCH_FOR_MS)
  useEffect(() => {
    if (!watching) return;
    const started = Date.now();
    const timer = setInterval(() => {
      if (rows.value?.some((d) => d.eventId === watching) || Date.now() - started > WATCH_FOR_MS) clearInterval(timer);
      else void load();
    }, WATCH_EVERY_MS);
    return () => clearInterval(timer);
  }, [watching]);
  const logId = `log-${ep.id}`;
  return (
    <div class="log" id={logId}>
      <h3>{tp("deliveryLog")}</h3>
      <button type="button" onClick={() => void load()}>
        {tp("refresh")}
      </button>
      {error.value && (
        <p class="error" role="alert">
          {error.value}
        </p>
      )}
      {rows.value === null && !error.value && <p class="muted">{t("loading")}</p>}
      {rows.value?.length === 0 && <p>{tp("noDeliveries")}</p>}
      {rows.value && rows.value.length > 0 && (
        <ul class="list items" aria-label={tp("deliveryLogOf", { url: ep.url })}>
          {rows.value.map((d) => (
            <li key={d.id} class={`item delivery ${d.succeeded ? "ok-row" : "failed-row"}`}>
              <span>
                <strong>{d.eventType}</strong> <code>{d.eventId}</code>
              </span>
              <span class="badge">
                {d.succeeded ? tp("delivered") : tp("failedDelivery")}
                {d.responseStatus !== null ? ` · HTTP ${d.responseStatus}` : ""}
              </span>
              <span class="muted">
                {tp("attempt", { n: d.attempt })} · {d.durationMs} ms · {fmtWhen(d.createdAt)}
                {d.error ? ` · ${d.error}` : ""}
              </span>
            </li>
          ))}
        </ul>
      )}
      {cursor.value && (
        <button type="button" onClick={() => void load(true)}>
          {tp("showOlder")}
        </button>
      )}
    </div>
  );
}

function EndpointRow({ ep, onDeleted }: { ep: WebhookEndpoint; onDeleted: () => void }) {
  const open = useSignal(false);
  const busy = useSignal(false);
  const error = useSignal<string | null>(null);
  const status = useSignal<string | null>(null);
  const watching = useSignal<string | null>(null);
  const sendTest = async () => {
    busy.value = true;
    error.value = null;
    const r = await attempt(() => api.webhookDeliveries.sendTest(ep.id));
    busy.value = false;
    if (!r.ok) {
      error.value = r.error;
      return;
    }
    status.value = tp("testQueued", { id: r.value.eventId });
    watching.value = r.value.eventId;
    open.value = true;
  };
  const remove = async () => {
    busy.value = true;
    const r = await attempt(() => api.webhookEndpoints.delete(ep.id));
    busy.value = false;
    if (r.ok) onDeleted();
    else error.value = r.error;
  };
  return (
    <li class="item endpoint">
      <span class="url">
        <strong>{ep.url}</strong>
        {ep.description && <span class="muted"> · {ep.description}</span>}
      </span>
      <span class="muted">{ep.eventTypes.join(", ")}</span>
      <span class="actions">
        <button
          type="button"
          aria-expanded={open.value}
          aria-controls={`log-${ep.id}`}
          onClick={() => {
            open.value = !open.value;
          }}
        >
          {tp("deliveryLog")}
        </button>
        <button type="button" disabled={busy.value} onClick={() => void sendTest()}>
          {tp("sendTest")}
        </button>
        <ConfirmButton
          label={tp("delete")}
          name={tp("deleteEndpoint", { url: ep.url })}
          question={tp("deleteConfirm")}
          yes={tp("yesDelete")}
          busy={busy.value}
          onConfirm={() => void remove()}
        />
      </span>
      {status.value && (
        <p class="ok" role="status">
          {status.value}
        </p>
      )}
      {error.value && (
        <p class="error" role="alert">
          {error.value}
        </p>
      )}
      {open.value && <DeliveryLog ep={ep} watching={watching.value} />}
    </li>
  );
}

export function Webhooks() {
  const endpoints = useSignal<WebhookEndpoint[] | null>(null);
  const error = useSignal<string | null>(null);
  const errors = useSignal<FieldErrors>({});
  const busy = useSignal(false);
  const created = useSignal<{ url: string; secret: string } | null>(null);
  const load = async () => {
    const r = await attempt(() => api.webhookEndpoints.list({ limit: 100 }));
    if (r.ok) {
      endpoints.value = r.value.data;
      error.value = null;
    } else error.value = r.error;
  };
  useEffect(() => {
    void load();
  }, []);
  const create = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    const url = String(f.get("url") ?? "").trim();
    const description = String(f.get("description") ?? "").trim();
    const eventTypes = f.getAll("eventTypes").map(String) as (typeof EVENT_TYPES)[number][];
    const errs: FieldErrors = {};
    const missing = required(url);
    if (missing) errs.url = missing;
    if (eventTypes.length === 0) errs.eventTypes = tp("pickOneEvent");
    if (Object.keys(errs).length) {
      errors.value = errs;
      return;
    }
    busy.value = true;
    const all = eventTypes.length === EVENT_TYPES.length;
    const r = await attempt(() =>
      api.webhookEndpoints.create({
        url,
        ...(all ? {} : { eventTypes }),
        ...(description ? { description } : {}),
      }),
    );
    busy.value = false;
    if (!r.ok) {
      errors.value = fieldErrors(r.cause, ["url", "description", "eventTypes"], r.error, "url");
      // a refused address (422 URL_NOT_PUBLIC) belongs at the URL too
      if ((r.cause as { status?: number }).status === 422 && errors.value.form)
        errors.value = { url: errors.value.form };
      return;
    }
    errors.value = {};
    form.reset();
    created.value = { url: r.value.url, secret: r.value.secret };
    void load();
  };
  const err = errors.value;
  return (
    <section class="panel" aria-labelledby="hooks-title">
      <h2 id="hooks-title">{tp("webhooks")}</h2>
      <p class="muted">{tp("webhooksHint")}</p>
      {created.value && (
        <div class="secret" role="status">
          <p>
            <strong>{tp("endpointCreated", { url: created.value.url })}</strong> {tp("secretShownOnce")}
          </p>
          <code class="secret-value">{created.value.secret}</code>
          <CopyButton text={created.value.secret} label={tp("signingSecret")} />
          <button
            type="button"
            onClick={() => {
              created.value = null;
            }}
          >
            {tp("savedIt")}
          </button>
        </div>
      )}
      <form class="stack-form" onSubmit={create} noValidate aria-labelledby="add-endpoint-title">
        <h3 id="add-endpoint-title">{tp("addEndpoint")}</h3>
        <Field id="hook-url" label={tp("endpointUrl")} error={err.url} hint={tp("endpointUrlHint")}>
          <input
            id="hook-url"
            name="url"
            type="url"
            inputMode="url"
            maxLength={2048}
            placeholder="https://example.com/hooks/bookra"
            autocomplete="off"
            {...invalid("hook-url", err.url, true)}
          />
        </Field>
        <Field id="hook-description" label={tp("descriptionOptional")} error={err.description}>
          <input
            id="hook-description"
            name="description"
            maxLength={500}
            autocomplete="off"
            {...invalid("hook-description", err.description)}
          />
        </Field>
        <fieldset aria-describedby={err.eventTypes ? "hook-events-err" : undefined}>
          <legend>{tp("events")}</legend>
          {EVENT_TYPES.map((ev) => (
            <label key={ev} class="check">
              <input type="checkbox" name="eventTypes" value={ev} defaultChecked /> {ev}
            </label>
          ))}
          {err.eventTypes && (
            <p class="error" id="hook-events-err">
              {err.eventTypes}
            </p>
          )}
        </fieldset>
        {err.form && (
          <p class="error" role="alert">
            {err.form}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy.value}>
          {tp("addEndpointButton")}
        </button>
      </form>
      {error.value && (
        <p class="error" role="alert">
          {error.value}{" "}
          <button type="button" onClick={() => void load()}>
            {t("retry")}
          </button>
        </p>
      )}
      {endpoints.value === null && !error.value && <p class="muted">{t("loading")}</p>}
      {endpoints.value?.length === 0 && <p>{tp("noEndpoints")}</p>}
      {endpoints.value && endpoints.value.length > 0 && (
        <ul class="list items" aria-label={tp("webhooks")}>
          {endpoints.value.map((ep) => (
            <EndpointRow key={ep.id} ep={ep} onDeleted={() => void load()} />
          ))}
        </ul>
      )}
    </section>
  );
}
