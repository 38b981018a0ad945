// The hosted booking and manage pages: a full-page HTML document per tenant that loads the same embeddable widget
// (/widget.js, served by Workers static assets from dist/public) full-page, in the tenant's branding.

import { escapeHtml as h } from "../../domain/html.ts";
import type { Catalog } from "../../schemas/catalog.ts";

export interface HostedPage {
  catalog: Catalog;
  /** The widget container's data attributes (values are escaped here). */
  container: Record<string, string>;
  title: string;
  /** The response's CSP nonce: the inline style carries it, and the widget passes it on to any <style> it adds. */
  nonce: string;
}

export function hostedPage({ catalog, container, title, nonce }: HostedPage): string {
  const { tenant } = catalog;
  const primary = /^#[0-9a-f]{3,6}$/i.test(tenant.branding.primaryColor ?? "")
    ? tenant.branding.primaryColor!
    : "#4f46e5";
  const attrs = Object.entries(container)
    .map(([k, v]) => ` data-${k}="${h(v)}"`)
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${h(title)} · ${h(tenant.name)}</title><meta name="theme-color" content="${h(primary)}">
<link rel="preload" href="/v1/public/${h(tenant.slug)}/catalog" as="fetch" crossorigin="anonymous">
<style nonce="${h(nonce)}">html,body{margin:0;min-height:100%;background:color-mix(in srgb,${h(primary)} 7%,#f8fafc)}@media (prefers-color-scheme:dark){html,body{background:#0b1120}}</style>
</head><body><main>
<div data-bookra-inline data-full-page${attrs}></div>
</main><script src="/widget.js" nonce="${h(nonce)}" data-tenant="${h(tenant.slug)}" async></script></body></html>`;
}
