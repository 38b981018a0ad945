// The branding's live preview: the real booking widget (this origin's /widget.js, which the page's CSP allows as
// 'self'), mounted inline for this business. The draft colours, radius and font reach it as the `--bookra-*` custom
// properties the widget lets a host page set on its container, so it changes as the owner types, before saving.
import { useEffect } from "preact/hooks";
import { locale } from "../../models/i18n.ts";
import { textOn } from "./forms.ts";
import { tp } from "./texts.ts";

const FONT = /^[\w\s,'"-]+$/;

const loader = () => document.querySelector<HTMLScriptElement>('script[src$="/widget.js"]');

/** Adds the widget's loader once (it then mounts every inline container that appears on the page). */
function ensureWidget(slug: string): void {
  if (loader()) return;
  const s = document.createElement("script");
  s.src = "/widget.js";
  s.async = true;
  s.dataset.tenant = slug;
  document.head.appendChild(s);
}

export function WidgetPreview(props: { slug: string; primary: string; accent: string; radius: number; font: string }) {
  // a loader already booted for another business (after signing in to another one) cannot switch: say so
  const existing = loader();
  const ours = !existing || existing.dataset.tenant === props.slug;
  useEffect(() => {
    ensureWidget(props.slug);
  }, [props.slug]);
  const style: Record<string, string> = {
    "--bookra-primary": props.primary,
    "--bookra-on-primary": textOn(props.primary),
    "--bookra-accent": props.accent,
    "--bookra-radius": `${Math.max(0, Math.min(32, props.radius))}px`,
  };
  if (props.font.trim() && FONT.test(props.font)) style["--bookra-font"] = `${props.font}, system-ui, sans-serif`;
  return (
    <section class="preview" aria-labelledby="preview-title">
      <h3 id="preview-title">{tp("previewTitle")}</h3>
      <p class="muted">{tp("previewHint")}</p>
      {ours ? (
        // keyed by language: a new container mounts the widget again in that language
        <div key={locale.value} class="preview-widget" data-bookra-inline data-locale={locale.value} style={style} />
      ) : (
        <p class="notice">{tp("previewOtherTenant")}</p>
      )}
    </section>
  );
}
