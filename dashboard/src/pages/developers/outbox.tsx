// The outbox: events whose side effects (e-mails, webhooks, calendar pushes) are pending, failing or dead, with
// "retry" on failed and dead ones (the API makes them pending again; the relay sends them on).
import type { OutboxItem } from "@bookra/sdk/admin";
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { t } from "../../models/i18n.ts";
import { api, attempt } from "../../models/session.ts";
import { fmtWhen } from "./format.ts";
import { tp } from "./texts.ts";

type Filter = "all" | "pending" | "failed" | "dead";
const FILTERS: readonly Filter[] = ["all", "pending", "failed", "dead"];

function Row({ e, onChange }: { e: OutboxItem; onChange: (next: OutboxItem) => void }) {
  const busy = useSignal(false);
  const error = useSignal<string | null>(null);
  const retry = async () => {
    busy.value = true;
    error.value = null;
    const r = await attempt(() => api.outbox.retry(e.id));
    busy.value = false;
    if (r.ok) onChange(r.value);
    else error.value = r.error;
  };
  return (
    <li class={`item outbox-${e.status}`}>
      <span>
        <strong>{e.type}</strong> <code>{e.id}</code> <span class="muted">({e.aggregateId})</span>
      </span>
      <span class="badge">{tp(`status.${e.status}`)}</span>
      <span class="muted">
        {tp("attempts", { n: e.attempts })} · {fmtWhen(e.createdAt)}
        {e.lastError ? ` · ${e.lastError}` : ""}
      </span>
      {(e.status === "dead" || e.status === "failed") && (
        <button
          type="button"
          disabled={busy.value}
          aria-label={`${tp("retryEvent")}: ${e.type} ${e.id}`}
          onClick={() => void retry()}
        >
          {tp("retryEvent")}
        </button>
      )}
      {error.value && (
        <p class="error" role="alert">
          {error.value}
        </p>
      )}
    </li>
  );
}

export function Outbox() {
  const filter = useSignal<Filter>("all");
  const rows = useSignal<OutboxItem[] | null>(null);
  const cursor = useSignal<string | null>(null);
  const error = useSignal<string | null>(null);
  const load = async (more = false) => {
    const status = filter.value === "all" ? {} : { status: filter.value };
    const r = await attempt(() =>
      api.outbox.list({ ...status, ...(more && cursor.value ? { cursor: cursor.value } : {}) }),
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
  }, [filter.value]);
  return (
    <section class="panel" aria-labelledby="outbox-title">
      <h2 id="outbox-title">{tp("outbox")}</h2>
      <p class="muted">{tp("outboxHint")}</p>
      <div class="toolbar">
        <fieldset class="seg">
          <legend class="visually-hidden">{tp("show")}</legend>
          {FILTERS.map((f) => (
            <button
              key={f}
              type="button"
              aria-pressed={filter.value === f}
              onClick={() => {
                filter.value = f;
              }}
            >
              {tp(`filter.${f}`)}
            </button>
          ))}
        </fieldset>
        <button type="button" onClick={() => void load()}>
          {tp("refresh")}
        </button>
      </div>
      {error.value && (
        <p class="error" role="alert">
          {error.value}{" "}
          <button type="button" onClick={() => void load()}>
            {t("retry")}
          </button>
        </p>
      )}
      {rows.value === null && !error.value && <p class="muted">{t("loading")}</p>}
      {rows.value?.length === 0 && <p>{tp("outboxEmpty")}</p>}
      {rows.value && rows.value.length > 0 && (
        <ul class="list items" aria-label={tp("outbox")}>
          {rows.value.map((e) => (
            <Row
              key={e.id}
              e={e}
              onChange={(next) => {
                rows.value = (rows.value ?? []).map((x) => (x.id === next.id ? next : x));
              }}
            />
          ))}
        </ul>
      )}
      {cursor.value && (
        <button type="button" onClick={() => void load(true)}>
          {tp("showMore")}
        </button>
      )}
    </section>
  );
}
