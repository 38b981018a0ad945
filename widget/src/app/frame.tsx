// The shell every view shares: the tenant's branding as custom properties, an optional logo header, the polite live
// region, and focus moved to a view's heading when the customer (not the page load) changed the view.
import type { Catalog } from "@bookra/sdk";
import type { ComponentChildren, RefObject } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { brandStyle } from "../models/branding.ts";

export type Mode = "inline" | "popup" | "page";

export function Frame(props: {
  catalog: Catalog | null;
  mode: Mode;
  status: string;
  children: ComponentChildren;
  labelledBy?: string;
}) {
  const { catalog, mode } = props;
  const logo = catalog?.tenant.branding.logoUrl;
  const cls = `v card ${mode === "popup" ? "dlg" : mode}`;
  return (
    <div
      class={cls}
      style={brandStyle(catalog?.tenant.branding)}
      {...(mode === "popup"
        ? { role: "dialog", "aria-modal": "true", "aria-labelledby": props.labelledBy, tabIndex: -1 }
        : {})}
    >
      {mode === "page" && catalog && (
        <header class="brand">
          {logo && <img src={logo} alt="" />}
          <h1>{catalog.tenant.name}</h1>
        </header>
      )}
      {props.children}
      <div class="sr" role="status" aria-live="polite">
        {props.status}
      </div>
    </div>
  );
}

/** Focuses the heading when the customer moved from one view to another; never on load (the first render or the
 * end of "loading"), so the host page keeps its focus. */
export function useFocusOnChange<T extends HTMLElement>(key: string): RefObject<T | null> {
  const ref = useRef<T>(null);
  const prev = useRef<string | null>(null);
  useEffect(() => {
    const from = prev.current;
    prev.current = key;
    if (from !== null && from !== "loading") ref.current?.focus();
  }, [key]);
  return ref;
}
