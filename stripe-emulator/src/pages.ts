// The hosted pages: Checkout ("Pay", "Decline card", "Close") and Connect onboarding ("Complete" / "Leave
// incomplete"). Plain HTML forms that POST back here, no script, so any browser (or a test's fetch) can drive them.
import type Stripe from "stripe";
import type { SessionExtra } from "./resources/checkout.ts";

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** Minor units to a display amount, by the currency's ISO 4217 exponent. */
export function formatAmount(amount: number, currency: string): string {
  const digits =
    new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat("en", { style: "currency", currency }).format(amount / 10 ** digits);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1a1a2e}
.badge{display:inline-block;background:#ffe08a;border-radius:4px;padding:.1rem .4rem;font-size:.8rem}
table{width:100%;border-collapse:collapse;margin:1rem 0}td{padding:.3rem 0}td:last-child{text-align:right}
button{font:inherit;padding:.6rem 1rem;margin:.3rem .3rem 0 0;border-radius:6px;border:1px solid #635bff;background:#fff;cursor:pointer}
button.primary{background:#635bff;color:#fff}.notice{background:#fdecea;padding:.6rem;border-radius:6px}
</style></head><body><p><span class="badge">Stripe emulator · test mode</span></p>${body}</body></html>`;
}

export function checkoutPage(session: Stripe.Checkout.Session, extra: SessionExtra, notice: string | null): string {
  const currency = session.currency ?? "eur";
  const rows = extra.lineItems
    .map(
      (li) =>
        `<tr><td>${esc(li.name)}${li.quantity > 1 ? ` × ${li.quantity}` : ""}</td><td>${formatAmount(li.unitAmount * li.quantity, currency)}</td></tr>`,
    )
    .join("");
  const total = formatAmount(session.amount_total ?? 0, currency);
  if (session.status !== "open")
    return page("Checkout", `<h1>Checkout</h1><p>This Checkout Session is ${esc(session.status ?? "closed")}.</p>`);
  return page(
    `Pay ${total}`,
    `<h1>Pay ${esc(total)}</h1>${notice ? `<p class="notice" role="alert">${esc(notice)}</p>` : ""}
<table>${rows}<tr><td><strong>Total</strong></td><td><strong>${esc(total)}</strong></td></tr></table>
<form method="post"><button class="primary" name="action" value="pay">Pay</button><button name="action" value="decline">Decline card</button><button name="action" value="close">Close</button></form>`,
  );
}

export function onboardingPage(accountId: string): string {
  return page(
    "Set up payments",
    `<h1>Set up payments</h1><p>Connected account <code>${esc(accountId)}</code>.</p>
<form method="post"><button class="primary" name="action" value="complete">Complete</button><button name="action" value="incomplete">Leave incomplete</button></form>`,
  );
}

export function messagePage(title: string, text: string): string {
  return page(title, `<h1>${esc(title)}</h1><p>${esc(text)}</p>`);
}
