// The embed loader served as /widget.js: defines the `Bookra(...)` call queue, reserves the inline containers' height,
// and injects the real (hashed, long-cached) app bundle. Nothing else: it must stay under 1 KB min+gzip.
declare const __APP_FILE__: string;

export {};

interface BookraStub {
  (...args: unknown[]): void;
  q?: ArrayLike<unknown>[];
  /** The script element the loader ran from (the app reads data-tenant, data-floating … from it). */
  s?: HTMLScriptElement;
  /** Loaded once, even with the tag twice on a page. */
  l?: 1;
}

(() => {
  const w = window as unknown as { Bookra?: BookraStub };
  const d = document;
  const stub: BookraStub = function (this: unknown) {
    stub.q = stub.q || [];
    // biome-ignore lint/complexity/noArguments: the public snippet's stub stores `arguments` too
    stub.q.push(arguments);
  };
  const B = w.Bookra || stub;
  w.Bookra = B;
  if (B.l) return;
  const s = (d.currentScript || d.querySelector('script[src*="/widget.js"]')) as HTMLScriptElement | null;
  if (!s) return;
  B.l = 1;
  B.s = s;
  for (const el of d.querySelectorAll<HTMLElement>("[data-bookra-inline]")) {
    if (!el.style.minHeight) el.style.minHeight = "560px";
  }
  const app = d.createElement("script");
  app.src = new URL(__APP_FILE__, s.src).href;
  app.nonce = s.nonce; // a host page's nonce-only CSP lets the bundle through as it let the loader
  app.type = "module"; // an ES module: its lazy chunks (a locale, the payment step, the manage page) share its code
  app.async = true;
  d.head.appendChild(app);
})();
