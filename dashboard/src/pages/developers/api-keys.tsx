// API keys (owners only: the API answers 403 to anyone else, so the page does not show the section to them): the
// list without secrets, a new key whose secret is shown once, and revoking with a confirmation.
import type { ApiKey } from "@bookra/sdk/admin";
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { Field, type FieldErrors, fieldErrors, invalid, required } from "../../app/forms.tsx";
import { t } from "../../models/i18n.ts";
import { api, attempt } from "../../models/session.ts";
import { ConfirmButton } from "./confirm.tsx";
import { CopyButton } from "./copy-button.tsx";
import { fmtWhen } from "./format.ts";
import { tp } from "./texts.ts";

function KeyRow({ k, onRevoked }: { k: ApiKey; onRevoked: () => void }) {
  const busy = useSignal(false);
  const error = useSignal<string | null>(null);
  const revoke = async () => {
    busy.value = true;
    const r = await attempt(() => api.apiKeys.revoke(k.id));
    busy.value = false;
    if (r.ok) onRevoked();
    else error.value = r.error;
  };
  return (
    <li class="item">
      <span>
        <strong>{k.name}</strong> <code>{k.prefix}…</code>
      </span>
      <span class="muted">
        {tp("createdAt", { when: fmtWhen(k.createdAt) })} ·{" "}
        {k.lastUsedAt ? tp("lastUsed", { when: fmtWhen(k.lastUsedAt) }) : tp("neverUsed")}
      </span>
      {k.revokedAt ? (
        <span class="badge">{tp("revokedAt", { when: fmtWhen(k.revokedAt) })}</span>
      ) : (
        <ConfirmButton
          label={tp("revoke")}
          name={tp("revokeKey", { name: k.name })}
          question={tp("revokeConfirm", { name: k.name })}
          yes={tp("yesRevoke")}
          busy={busy.value}
          onConfirm={() => void revoke()}
        />
      )}
      {error.value && (
        <p class="error" role="alert">
          {error.value}
        </p>
      )}
    </li>
  );
}

export function ApiKeys() {
  const keys = useSignal<ApiKey[] | null>(null);
  const cursor = useSignal<string | null>(null);
  const error = useSignal<string | null>(null);
  const errors = useSignal<FieldErrors>({});
  const busy = useSignal(false);
  const created = useSignal<{ name: string; key: string } | null>(null);
  const load = async (more = false) => {
    const r = await attempt(() => api.apiKeys.list(more && cursor.value ? { cursor: cursor.value } : {}));
    if (!r.ok) {
      error.value = r.error;
      return;
    }
    error.value = null;
    keys.value = more ? [...(keys.value ?? []), ...r.value.data] : r.value.data;
    cursor.value = r.value.nextCursor;
  };
  useEffect(() => {
    void load();
  }, []);
  const create = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const name = String(new FormData(form).get("name") ?? "").trim();
    const missing = required(name);
    if (missing) {
      errors.value = { name: missing };
      return;
    }
    busy.value = true;
    const r = await attempt(() => api.apiKeys.create({ name }));
    busy.value = false;
    if (!r.ok) {
      errors.value = fieldErrors(r.cause, ["name"], r.error);
      return;
    }
    errors.value = {};
    form.reset();
    created.value = { name: r.value.name, key: r.value.key };
    void load();
  };
  return (
    <section class="panel" aria-labelledby="keys-title">
      <h2 id="keys-title">{tp("apiKeys")}</h2>
      <p class="muted">{tp("apiKeysHint")}</p>
      {created.value && (
        <div class="secret" role="status">
          <p>
            <strong>{tp("keyCreated", { name: created.value.name })}</strong> {tp("shownOnce")}
          </p>
          <code class="secret-value">{created.value.key}</code>
          <CopyButton text={created.value.key} label={tp("secretKey")} />
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
      <form class="inline-form" onSubmit={create} noValidate>
        <Field id="key-name" label={tp("keyName")} error={errors.value.name}>
          <input
            id="key-name"
            name="name"
            maxLength={200}
            autocomplete="off"
            {...invalid("key-name", errors.value.name)}
          />
        </Field>
        <button type="submit" class="primary" disabled={busy.value}>
          {tp("createKey")}
        </button>
        {errors.value.form && (
          <p class="error" role="alert">
            {errors.value.form}
          </p>
        )}
      </form>
      {error.value && (
        <p class="error" role="alert">
          {error.value}{" "}
          <button type="button" onClick={() => void load()}>
            {t("retry")}
          </button>
        </p>
      )}
      {keys.value === null && !error.value && <p class="muted">{t("loading")}</p>}
      {keys.value?.length === 0 && <p>{tp("noKeys")}</p>}
      {keys.value && keys.value.length > 0 && (
        <ul class="list items" aria-label={tp("apiKeys")}>
          {keys.value.map((k) => (
            <KeyRow key={k.id} k={k} onRevoked={() => void load()} />
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
