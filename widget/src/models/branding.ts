// The tenant's branding from the catalog as CSS custom properties on the widget's root; the host page's own
// `--bookra-*` properties on the container win over these (see app/styles.ts).
import type { Branding } from "@bookra/sdk";

const HEX = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;

/** Black or white, whichever reads better on the color (WCAG relative luminance). */
export function onColor(hex: string): string {
  const h = hex.length === 4 ? hex.replace(/\w/g, (c) => c + c).slice(1) : hex.slice(1);
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = Number.parseInt(h.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? "#fff" : "#111";
}

export function brandStyle(b: Branding | undefined): Record<string, string> {
  const s: Record<string, string> = {};
  if (!b) return s;
  if (b.primaryColor && HEX.test(b.primaryColor)) {
    s["--bk-p"] = b.primaryColor;
    s["--bk-op"] = onColor(b.primaryColor);
  }
  if (b.accentColor && HEX.test(b.accentColor)) s["--bk-a"] = b.accentColor;
  if (typeof b.radius === "number") s["--bk-r"] = `${Math.max(0, Math.min(32, b.radius))}px`;
  if (b.font && /^[\w\s,'"-]+$/.test(b.font)) s["--bk-f"] = `${b.font}, system-ui, sans-serif`;
  return s;
}
