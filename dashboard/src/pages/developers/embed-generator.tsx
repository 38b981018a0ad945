// The embed-code generator: inline / popup / floating, a service, language, theme, colours and the button's text →
// the exact snippet (embed.ts) with copy buttons, and a live preview of the real widget in an srcdoc frame.
import type { Service } from "@bookra/sdk/admin";
import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { api, attempt } from "../../models/session.ts";
import { CopyButton } from "./copy-button.tsx";
import { buildEmbed, colorVars, type EmbedOptions, MAX_LABEL, previewDocument } from "./embed.ts";
import { tp } from "./texts.ts";

const MODES = ["inline", "popup", "floating"] as const;

function Snippet({ id, title, code }: { id: string; title: string; code: string }) {
  return (
    <div class="snippet">
      <h3 id={id}>{title}</h3>
      <pre>
        <code>{code}</code>
      </pre>
      <CopyButton text={code} label={title} />
    </div>
  );
}

export function EmbedGenerator({ slug }: { slug: string }) {
  const services = useSignal<Service[]>([]);
  const servicesError = useSignal<string | null>(null);
  const ownColors = useSignal(false);
  const opts = useSignal<EmbedOptions>({
    base: location.origin,
    tenant: slug,
    mode: "inline",
    service: "",
    locale: "auto",
    theme: "auto",
    primaryColor: "#4f46e5",
    accentColor: "#f59e0b",
    label: "",
  });
  const frame = useRef<HTMLIFrameElement>(null);
  useEffect(() => {
    void attempt(() => api.services.list({ limit: 100 })).then((r) => {
      if (r.ok) services.value = r.value.data;
      else servicesError.value = r.error;
    });
  }, []);
  const set = <K extends keyof EmbedOptions>(k: K, v: EmbedOptions[K]) => {
    opts.value = { ...opts.value, [k]: v };
  };
  const o = ownColors.value ? opts.value : { ...opts.value, primaryColor: "", accentColor: "" };
  const code = buildEmbed(o);
  const srcdoc = previewDocument(code, tp("previewTitle"));
  // the frame inherits the dashboard's CSP, which refuses inline <style>: the colours go through the CSSOM
  const paint = () => {
    const root = frame.current?.contentDocument?.documentElement;
    if (!root) return;
    for (const [k, v] of colorVars(o)) root.style.setProperty(k, v);
  };
  const value = (e: Event) => (e.currentTarget as HTMLInputElement | HTMLSelectElement).value;
  return (
    <section class="panel" aria-labelledby="embed-title">
      <h2 id="embed-title">{tp("embed")}</h2>
      <p class="muted">{tp("embedHint")}</p>
      <div class="embed">
        <form class="stack-form" onSubmit={(e) => e.preventDefault()} aria-label={tp("embedOptions")}>
          <fieldset>
            <legend>{tp("mode")}</legend>
            {MODES.map((m) => (
              <label key={m} class="check">
                <input
                  type="radio"
                  name="mode"
                  value={m}
                  checked={opts.value.mode === m}
                  onChange={() => set("mode", m)}
                />{" "}
                {tp(`mode.${m}`)}
              </label>
            ))}
          </fieldset>
          <div class="field">
            <label for="embed-service">{tp("service")}</label>
            <select id="embed-service" value={opts.value.service} onChange={(e) => set("service", value(e))}>
              <option value="">{tp("anyService")}</option>
              {services.value.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
            {servicesError.value && <p class="error">{servicesError.value}</p>}
          </div>
          <div class="field">
            <label for="embed-locale">{tp("language")}</label>
            <select
              id="embed-locale"
              value={opts.value.locale}
              onChange={(e) => set("locale", value(e) as EmbedOptions["locale"])}
            >
              <option value="auto">{tp("visitorsLanguage")}</option>
              <option value="en">English</option>
              <option value="es">Español</option>
              <option value="de">Deutsch</option>
            </select>
          </div>
          <div class="field">
            <label for="embed-theme">{tp("theme")}</label>
            <select
              id="embed-theme"
              value={opts.value.theme}
              onChange={(e) => set("theme", value(e) as EmbedOptions["theme"])}
            >
              <option value="auto">{tp("theme.auto")}</option>
              <option value="light">{tp("theme.light")}</option>
              <option value="dark">{tp("theme.dark")}</option>
            </select>
          </div>
          {opts.value.mode !== "inline" && (
            <div class="field">
              <label for="embed-label">{tp(opts.value.mode === "popup" ? "buttonText" : "floatingText")}</label>
              <input
                id="embed-label"
                maxLength={MAX_LABEL}
                value={opts.value.label}
                placeholder={opts.value.mode === "popup" ? "Book an appointment" : ""}
                onInput={(e) => set("label", value(e))}
              />
            </div>
          )}
          <label class="check">
            <input
              type="checkbox"
              checked={ownColors.value}
              onChange={(e) => {
                ownColors.value = (e.currentTarget as HTMLInputElement).checked;
              }}
            />{" "}
            {tp("ownColors")}
          </label>
          {ownColors.value && (
            <div class="colors">
              <div class="field">
                <label for="embed-primary">{tp("primaryColor")}</label>
                <input
                  id="embed-primary"
                  type="color"
                  value={opts.value.primaryColor}
                  onChange={(e) => set("primaryColor", value(e))}
                />
              </div>
              <div class="field">
                <label for="embed-accent">{tp("accentColor")}</label>
                <input
                  id="embed-accent"
                  type="color"
                  value={opts.value.accentColor}
                  onChange={(e) => set("accentColor", value(e))}
                />
              </div>
            </div>
          )}
        </form>
        <div class="embed-out">
          {code.style && <Snippet id="snip-style" title={tp("snippetStyle")} code={code.style} />}
          {code.placement && <Snippet id="snip-place" title={tp("snippetPlacement")} code={code.placement} />}
          <Snippet id="snip-script" title={tp("snippetScript")} code={code.script} />
          <div class="snippet">
            <CopyButton text={code.full} label={tp("snippetAll")} visible />
          </div>
          <h3 id="preview-title">{tp("preview")}</h3>
          <iframe
            ref={frame}
            class="preview"
            title={tp("previewTitle")}
            srcdoc={srcdoc}
            onLoad={paint}
            key={`${srcdoc}|${colorVars(o).join()}`}
          />
        </div>
      </div>
    </section>
  );
}
