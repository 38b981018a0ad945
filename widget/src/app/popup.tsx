// The popup: a fixed overlay (no layout shift in the host page) holding a modal dialog. Focus moves in on open, Tab
// and Shift+Tab cycle inside it, focus that escapes is pulled back, Escape closes, and the caller returns focus.
import { useEffect, useRef } from "preact/hooks";
import type { BookingFlow } from "../models/booking/flow.ts";
import type { I18n } from "../models/i18n.ts";
import { BookingView } from "./booking/view.tsx";

const FOCUSABLE = "button:not([disabled]),[href],input:not([disabled]),select:not([disabled]),textarea,[tabindex]";

export function Popup({ flow, i18n, close }: { flow: BookingFlow; i18n: I18n; close(): void }) {
  const ov = useRef<HTMLDivElement>(null);
  const dialog = () => ov.current?.querySelector<HTMLElement>("[role=dialog]") ?? null;

  useEffect(() => {
    dialog()?.focus();
    const host = (ov.current?.getRootNode() as ShadowRoot | undefined)?.host;
    const pullBack = (e: FocusEvent) => {
      if (host && e.target !== host) dialog()?.focus();
    };
    document.addEventListener("focusin", pullBack);
    return () => document.removeEventListener("focusin", pullBack);
  }, []);

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      close();
      return;
    }
    const dlg = dialog();
    if (e.key !== "Tab" || !dlg) return;
    const items = [...dlg.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
      (el) => el.tabIndex >= 0 && el.getClientRects().length > 0,
    );
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    const active = (dlg.getRootNode() as ShadowRoot).activeElement;
    if (e.shiftKey && (active === first || active === dlg)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && active === last) {
      e.preventDefault();
      first.focus();
    }
  }

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the backdrop closes on click; the dialog itself has a close button and Escape
    <div class="ov" ref={ov} onKeyDown={onKeyDown} onClick={(e) => e.target === e.currentTarget && close()}>
      <BookingView
        flow={flow}
        i18n={i18n}
        mode="popup"
        close={
          <button type="button" class="x" aria-label={i18n.t("close")} onClick={close} data-close>
            ×
          </button>
        }
      />
    </div>
  );
}
