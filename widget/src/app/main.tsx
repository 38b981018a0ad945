// The widget app (/widget-app.<hash>.js, an ES module), injected by the loader: replays the queued `Bookra(...)`
// calls, mounts inline containers, popup buttons, the floating button and hosted pages, each in its own shadow root.
// A view renders once its texts are there (English at once, another language when its chunk arrives: never a flash
// of the wrong one) while its first requests are already on their way; the manage page is a chunk of its own.
// Nothing it does may throw into the host page: every entry point is wrapped and failures go to console.warn.
import "@preact/signals";
import { render } from "preact";
import { createBookingFlow, type OpenOptions } from "../models/booking/flow.ts";
import { brandStyle } from "../models/branding.ts";
import { createEnv } from "../models/env.ts";
import { type I18n, loadI18n, pickLocale } from "../models/i18n.ts";
import { warn } from "../models/log.ts";
import { BookingView } from "./booking/view.tsx";
import { Popup } from "./popup.tsx";
import { CSS } from "./styles.ts";

interface Queue {
  (...args: unknown[]): void;
  q?: { push(args: ArrayLike<unknown>): unknown } | ArrayLike<unknown>[];
  s?: HTMLScriptElement;
  l?: 1;
}

const w = window as unknown as { Bookra?: Queue };
const mounted = new WeakSet<Element>();
let sheet: CSSStyleSheet | undefined;

function shadowFor(el: HTMLElement): ShadowRoot {
  let root = el.shadowRoot;
  if (!root) {
    try {
      root = el.attachShadow({ mode: "open" });
    } catch {
      // elements that cannot host a shadow root (or already have a closed one): use a child of ours
      const inner = document.createElement("div");
      el.appendChild(inner);
      root = inner.attachShadow({ mode: "open" });
    }
  }
  try {
    sheet ??= new CSSStyleSheet();
    if (!sheet.cssRules.length) sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } catch {
    // Older browsers without constructable sheets: a <style> that a host page's nonce-based CSP lets through.
    const style = document.createElement("style");
    style.nonce = w.Bookra?.s?.nonce ?? "";
    style.textContent = CSS;
    root.appendChild(style);
  }
  return root;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 && v.length < 200 ? v : undefined;
}

/** A call's options, checked by hand: anything unexpected is dropped with a warning, never thrown. */
function openOptions(raw: unknown): OpenOptions {
  if (raw !== undefined && (typeof raw !== "object" || raw === null)) {
    warn("Bookra('open', options): options must be an object");
    return {};
  }
  const o = (raw ?? {}) as Record<string, unknown>;
  const p = (typeof o.prefill === "object" && o.prefill) || {};
  const { name, email, phone } = p as Record<string, unknown>;
  const service = str(o.service);
  const staff = str(o.staff);
  return {
    ...(service && { service }),
    ...(staff && { staff }),
    prefill: { name: str(name) ?? "", email: str(email) ?? "", phone: str(phone) ?? "" },
  };
}

function optionsFrom(el: HTMLElement): OpenOptions {
  const d = el.dataset;
  return openOptions({
    service: d.service,
    staff: d.staff,
    prefill: { name: d.prefillName, email: d.prefillEmail, phone: d.prefillPhone },
  });
}

function boot(Q: Queue) {
  const script = Q.s!;
  const tenant = script.dataset.tenant;
  if (!tenant) return warn("the script tag needs data-tenant");
  const base = new URL(script.src).origin;
  const env = createEnv(base, tenant);
  /** An element's texts: its own data-locale, else the script tag's, else the browser's languages. */
  const i18nFor = (el?: HTMLElement | null): Promise<I18n> =>
    loadI18n(pickLocale(el?.dataset.locale ?? script.dataset.locale));
  const later = <T,>(p: Promise<T>, then: (v: T) => void) => p.then((v) => safe(() => then(v)));
  const theme = script.dataset.theme;
  let popup: { close(): void } | null = null;

  function overlayHost(opener?: HTMLElement | null): HTMLElement {
    const host = document.createElement("div");
    host.setAttribute("data-bookra-overlay", "");
    const t = opener?.dataset.theme ?? theme;
    if (t) host.setAttribute("data-theme", t);
    document.body.appendChild(host);
    return host;
  }

  function open(opts: OpenOptions, opener?: HTMLElement | null) {
    popup?.close();
    const returnTo = opener ?? (document.activeElement as HTMLElement | null);
    const host = overlayHost(opener);
    const root = shadowFor(host);
    const flow = createBookingFlow(env, opts, () => host);
    const close = () => {
      if (popup !== handle) return;
      popup = null;
      flow.dispose();
      render(null, root);
      host.remove();
      try {
        returnTo?.focus();
      } catch {
        // the opener left the page
      }
    };
    const handle = { close };
    popup = handle;
    void flow.start();
    later(i18nFor(opener), (i18n) => popup === handle && render(<Popup flow={flow} i18n={i18n} close={close} />, root));
  }

  function mount(el: HTMLElement) {
    if (mounted.has(el)) return;
    mounted.add(el);
    // the script tag's data-theme reaches inline containers too (their own attribute wins)
    if (theme && !el.dataset.theme) el.dataset.theme = theme;
    el.style.minHeight ||= el.hasAttribute("data-full-page") ? "" : "560px";
    const root = shadowFor(el);
    const mode = el.hasAttribute("data-full-page") ? "page" : "inline";
    if (el.hasAttribute("data-bookra-manage")) {
      env.catalog().catch(() => {}); // on its way while the manage page's chunk loads
      const parts = Promise.all([import("./manage.tsx"), i18nFor(el)]);
      later(parts, ([{ createManage, ManageView }, i18n]) => {
        const m = createManage(env, el.dataset.booking ?? "", el.dataset.token ?? "", () => el);
        render(<ManageView m={m} i18n={i18n} mode={mode} />, root);
        void m.start();
      }).catch((e) => warn("could not load the manage page", e));
    } else {
      const flow = createBookingFlow(env, optionsFrom(el), () => el);
      void flow.start();
      later(i18nFor(el), (i18n) => render(<BookingView flow={flow} i18n={i18n} mode={mode} />, root));
    }
  }

  function floating() {
    const host = overlayHost(script);
    const root = shadowFor(host);
    let i18n: I18n | undefined;
    let style: Record<string, string> = {};
    const draw = () =>
      i18n &&
      render(
        <div class="v" style={style}>
          <button
            type="button"
            class="btn pri fab"
            data-bookra-fab
            onClick={(e) => open(optionsFrom(script), e.currentTarget)}
          >
            {script.dataset.floating || i18n.t("bookNow")}
          </button>
        </div>,
        root,
      );
    later(i18nFor(script), (t) => {
      i18n = t;
      draw();
    });
    env.catalog().then(
      (c) => {
        style = brandStyle(c.tenant.branding);
        safe(draw);
      },
      () => {},
    );
  }

  const scan = (node: ParentNode) => {
    for (const el of node.querySelectorAll<HTMLElement>("[data-bookra-inline],[data-bookra-manage]"))
      safe(() => mount(el));
  };

  function api(cmd: unknown, ...args: unknown[]) {
    safe(() => {
      if (cmd === "open") open(openOptions(args[0]));
      else if (cmd === "close") popup?.close();
      else if ((cmd === "on" || cmd === "off") && typeof args[0] === "string" && typeof args[1] === "function")
        env[cmd](args[0], args[1] as (d: unknown) => void);
      else if (cmd === "mount" && args[0] instanceof HTMLElement) mount(args[0]);
      else warn(`unknown or malformed call Bookra(${JSON.stringify(String(cmd))}, …)`);
    });
  }

  document.addEventListener("click", (e) => {
    const t = (e.target as Element | null)?.closest?.<HTMLElement>("[data-bookra-popup]");
    if (!t) return;
    e.preventDefault();
    safe(() => open(optionsFrom(t), t));
  });
  new MutationObserver((records) => {
    for (const r of records)
      for (const n of r.addedNodes) {
        if (!(n instanceof HTMLElement)) continue;
        if (n.matches("[data-bookra-inline],[data-bookra-manage]")) safe(() => mount(n));
        scan(n as unknown as ParentNode);
      }
  }).observe(document.documentElement, { childList: true, subtree: true });
  scan(document);
  if (script.hasAttribute("data-floating")) {
    if (document.body) safe(floating);
    else document.addEventListener("DOMContentLoaded", () => safe(floating));
  }

  const queued = Array.isArray(Q.q) ? Q.q : [];
  // Calls through a stub the host kept a reference to still arrive: its queue now forwards to the app.
  const replay = (a: ArrayLike<unknown>) => api(...(Array.from(a) as [unknown, ...unknown[]]));
  Q.q = { push: replay };
  w.Bookra = Object.assign(api, { s: script, l: 1 as const, q: Q.q, a: 1 });
  for (const a of queued) replay(a);
  env.emit("widget:ready", { tenant }, window);
}

function safe(fn: () => void) {
  try {
    fn();
  } catch (e) {
    warn("unexpected error", e);
  }
}

safe(() => {
  const Q = w.Bookra;
  if (!Q?.s) return warn("load the widget with its script tag: <script src=…/widget.js data-tenant=… async>");
  if ((Q as { a?: 1 }).a) return;
  (Q as { a?: 1 }).a = 1;
  boot(Q);
});
