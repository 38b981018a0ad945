// Setup › Channels: how customers hear about their bookings. E-mail is always on; WhatsApp is a switch
// (GET|PUT /v1/admin/channels), saved when it changes.
import type { Channels } from "@bookra/sdk/admin";
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { t } from "../../models/i18n.ts";
import { api, attempt } from "../../models/session.ts";
import { tp } from "./texts.ts";

export function ChannelsSection() {
  const channels = useSignal<Channels | null>(null);
  const error = useSignal<string | null>(null);
  const busy = useSignal(false);
  const saved = useSignal(false);
  const load = async () => {
    const r = await attempt(() => api.channels.get());
    if (r.ok) {
      channels.value = r.value;
      error.value = null;
    } else error.value = r.error;
  };
  useEffect(() => {
    void load();
  }, []);
  /** Shown switched at once; switched back with the reason if the API refuses. */
  const toggle = async (whatsapp: boolean) => {
    const before = channels.value;
    channels.value = { ...before, whatsapp };
    busy.value = true;
    saved.value = false;
    const r = await attempt(() => api.channels.set({ whatsapp }));
    busy.value = false;
    if (r.ok) {
      channels.value = r.value;
      error.value = null;
      saved.value = true;
    } else {
      channels.value = before;
      error.value = r.error;
    }
  };
  const c = channels.value;
  return (
    <section class="panel" aria-labelledby="channels-title">
      <h2 id="channels-title">{tp("channelsTitle")}</h2>
      {!c && !error.value && <p class="muted">{t("loading")}</p>}
      {c && (
        <>
          <div class="channel">
            <h3>{tp("emailChannel")}</h3>
            <p class="muted">{tp("emailAlways")}</p>
          </div>
          <div class="channel">
            <h3>WhatsApp</h3>
            <label class="check">
              <input
                type="checkbox"
                checked={c.whatsapp}
                disabled={busy.value}
                aria-describedby="wa-hint"
                onChange={(e) => void toggle((e.currentTarget as HTMLInputElement).checked)}
              />
              {tp("whatsapp")}
            </label>
            <p class="muted" id="wa-hint">
              {tp("whatsappHint")}
            </p>
          </div>
        </>
      )}
      <p role="status" class="ok">
        {saved.value ? tp("saved") : ""}
      </p>
      {error.value && (
        <p class="error" role="alert">
          {error.value}{" "}
          <button type="button" onClick={() => void load()}>
            {t("retry")}
          </button>
        </p>
      )}
    </section>
  );
}
