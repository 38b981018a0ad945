// The embed-code generator's pure half: the options an owner picks → the exact HTML the widget's loader reads
// (widget/src/loader.ts and app/main.tsx: data-tenant, data-floating, data-service, data-locale, data-theme on the
// script tag; data-bookra-inline / data-bookra-popup with data-service on the placement; --bookra-* colours).

export type EmbedMode = "inline" | "popup" | "floating";
export type EmbedLocale = "auto" | "en" | "es" | "de";
export type EmbedTheme = "auto" | "light" | "dark";

export interface EmbedOptions {
  /** The API origin that serves /widget.js (the dashboard's own origin). */
  base: string;
  tenant: string;
  mode: EmbedMode;
  /** A service id to open directly; empty: the widget starts with the service list. */
  service: string;
  locale: EmbedLocale;
  theme: EmbedTheme;
  /** `#rrggbb`, or empty to keep the business's branding. */
  primaryColor: string;
  accentColor: string;
  /** The popup button's text, or the floating button's (empty: the widget's own "Book now" in its language). */
  label: string;
}

export interface EmbedCode {
  /** Once per page, before `</body>`. */
  script: string;
  /** Where the widget shows (inline container or popup button); null for the floating button. */
  placement: string | null;
  /** Colour overrides for the page's `<head>`; null when the business's branding is kept. */
  style: string | null;
  /** Everything, in the order to paste it. */
  full: string;
}

export const DEFAULT_POPUP_LABEL = "Book an appointment";
export const MAX_LABEL = 60;
const HEX = /^#[0-9a-fA-F]{6}$/;

/** Escapes text for an HTML attribute value or element content. */
export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );
}

const attr = (name: string, value: string) => ` ${name}="${escapeHtml(value)}"`;

/** A colour the generator accepts, normalised to lower case; anything else is dropped (never pasted into CSS). */
export function cleanColor(c: string): string {
  return HEX.test(c.trim()) ? c.trim().toLowerCase() : "";
}

export function buildEmbed(o: EmbedOptions): EmbedCode {
  const base = o.base.replace(/\/+$/, "");
  const service = o.service.trim();
  const label = o.label.trim().slice(0, MAX_LABEL);
  let script = `<script src="${escapeHtml(`${base}/widget.js`)}"${attr("data-tenant", o.tenant)}`;
  if (o.mode === "floating") {
    script += label ? attr("data-floating", label) : " data-floating";
    if (service) script += attr("data-service", service);
  }
  if (o.locale !== "auto") script += attr("data-locale", o.locale);
  if (o.theme !== "auto") script += attr("data-theme", o.theme);
  script += " async></script>";
  const svc = service ? attr("data-service", service) : "";
  const placement =
    o.mode === "inline"
      ? `<div data-bookra-inline${svc}></div>`
      : o.mode === "popup"
        ? `<button type="button" data-bookra-popup${svc}>${escapeHtml(label || DEFAULT_POPUP_LABEL)}</button>`
        : null;
  const vars = colorVars(o);
  const style = vars.length ? `<style>:root { ${vars.map(([k, v]) => `${k}: ${v};`).join(" ")} }</style>` : null;
  const full = [style, placement, script].filter((s): s is string => s !== null).join("\n");
  return { script, placement, style, full };
}

/** The `--bookra-*` custom properties the options set (the preview applies them through the CSSOM). */
export function colorVars(o: Pick<EmbedOptions, "primaryColor" | "accentColor">): [string, string][] {
  const out: [string, string][] = [];
  const p = cleanColor(o.primaryColor);
  const a = cleanColor(o.accentColor);
  if (p) out.push(["--bookra-primary", p]);
  if (a) out.push(["--bookra-accent", a]);
  return out;
}

/**
 * The live preview's document: the placement and the script tag, as pasted. It runs in an `srcdoc` frame, which
 * inherits the dashboard's CSP (scripts from this origin only), so the colours come through the CSSOM instead of
 * the `<style>` element (see colorVars).
 */
export function previewDocument(code: EmbedCode, title: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title></head><body>${code.placement ?? ""}${code.script}</body></html>`;
}
