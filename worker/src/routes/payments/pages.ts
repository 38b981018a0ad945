// The local checkout's two small pages (no Stripe account needed to try deposits end to end).
import type { Booking } from "../../schemas/booking.ts";

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const money = (m: { amount: number; currency: string }) =>
  new Intl.NumberFormat("en", { style: "currency", currency: m.currency }).format(m.amount / 100);

/** `nonce`: the response's CSP nonce (the inline style carries it). */
function shell(title: string, body: string, nonce: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style nonce="${esc(nonce)}">body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1d2330}
.card{border:1px solid #dde1e8;border-radius:12px;padding:1.5rem}button{font:inherit;background:#1565c0;color:#fff;border:0;border-radius:8px;padding:.7rem 1.2rem;cursor:pointer}
.note{color:#5b6472;font-size:.9rem}</style></head><body><main class="card">${body}</main></body></html>`;
}

export function checkoutPage(a: {
  booking: Booking;
  token: string;
  tenant: string;
  manageUrl: string;
  nonce: string;
}): string {
  const { booking } = a;
  if (booking.status !== "pending_payment" || !booking.deposit)
    return shell(
      "Nothing to pay",
      `<h1>Nothing to pay</h1><p>This booking is ${esc(booking.status.replace("_", " "))}.</p><p><a href="${esc(a.manageUrl)}">View your booking</a></p>`,
      a.nonce,
    );
  const action = `/checkout/${encodeURIComponent(a.tenant)}/${encodeURIComponent(booking.id)}/pay?token=${encodeURIComponent(a.token)}`;
  return shell(
    "Pay your deposit",
    `<h1>Pay your deposit</h1>
<p>Appointment: <strong>${esc(new Date(booking.start).toUTCString())}</strong></p>
<p>Due now: <strong>${esc(money(booking.deposit))}</strong> of ${esc(money(booking.price))}</p>
<p class="note">Held until ${esc(booking.holdExpiresAt ?? "")}. This is the local test checkout: no card is charged; paying sends a
signed Stripe-format event to the same webhook route production uses.</p>
<form method="post" action="${esc(action)}"><button type="submit">Pay ${esc(money(booking.deposit))}</button></form>`,
    a.nonce,
  );
}

export function paidPage(booking: Booking, token: string, tenant: string, nonce: string): string {
  const manage = `/manage/${encodeURIComponent(tenant)}/${encodeURIComponent(booking.id)}?token=${encodeURIComponent(token)}`;
  const ok = booking.status === "confirmed";
  return shell(
    ok ? "Booking confirmed" : "Payment received",
    ok
      ? `<h1>You're booked</h1><p>Your deposit is paid and your appointment on <strong>${esc(new Date(booking.start).toUTCString())}</strong> is confirmed.</p><p><a href="${manage}">Manage your booking</a></p>`
      : `<h1>Payment received</h1><p>Your booking is ${esc(booking.status.replace("_", " "))}; we will be in touch.</p><p><a href="${manage}">View your booking</a></p>`,
    nonce,
  );
}
